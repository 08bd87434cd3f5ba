namespace ResiliencePresets;

/// <summary>
/// What an exception says about a failed attempt.
/// </summary>
internal enum TransportFailureKind
{
    /// <summary>Not a transient failure: never retried, never counted by the breaker.</summary>
    NotTransient,

    /// <summary>Transient, and the server may have seen (and acted on) the request.</summary>
    MayHaveReachedServer,

    /// <summary>Transient, and the request provably never reached the server (connection refused, DNS failure).</summary>
    NeverReachedServer,
}
