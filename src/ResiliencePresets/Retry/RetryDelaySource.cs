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
}
