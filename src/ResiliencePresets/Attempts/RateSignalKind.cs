namespace ResiliencePresets;

/// <summary>
/// What a finished attempt says about the client's sending rate (<see cref="RateSignal"/>).
/// </summary>
internal enum RateSignalKind
{
    /// <summary>Nothing: a success, an outage, a client error.</summary>
    None,

    /// <summary>The server says the client is too fast: a 429 (a 403 read as 429 included), or a 503 with a wait or
    /// quota header.</summary>
    Limited,

    /// <summary>A 503 with neither a wait nor a quota header: nginx's default <c>limit_req</c> status, or a server that
    /// is overloaded or down.</summary>
    Bare503,
}
