namespace ResiliencePresets;

/// <summary>
/// Where the wait before a retry came from.
/// </summary>
internal enum RetryDelaySource
{
    /// <summary>The preset's exponential backoff with full jitter.</summary>
    Backoff,

    /// <summary>A header in which the server said how long to wait.</summary>
    ServerHeader,

    /// <summary>The client's learned rate: the retry waits for the client's token bucket, in its request's arrival
    /// order, and for the client's pause, not for a delay of its own.</summary>
    LearnedRate,
}
