namespace ResiliencePresets;

/// <summary>
/// A call through a preset that failed and that the preset gave up on, as <see cref="GiveUpScope"/> records it. It
/// carries no URL and no header value.
/// </summary>
public sealed class GivenUpCall
{
    internal GivenUpCall(string clientName, GiveUpReason reason, TimeSpan? retryAfter)
    {
        ClientName = clientName;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the name of the HttpClient that made the call.</summary>
    public string ClientName { get; }

    /// <summary>Gets why the preset gave up.</summary>
    public GiveUpReason Reason { get; }

    /// <summary>Gets how long the dependency, or the client's pause or breaker, said to wait, when it named a wait.</summary>
    public TimeSpan? RetryAfter { get; }
}
