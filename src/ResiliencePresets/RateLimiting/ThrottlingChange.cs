namespace ResiliencePresets;

/// <summary>
/// Whether an attempt made a client start or stop throttling (<see cref="RateLearner"/>), for its one log line.
/// </summary>
internal enum ThrottlingChange
{
    /// <summary>Nothing changed.</summary>
    None,

    /// <summary>The first rate signal: every attempt of the client now waits for the learned rate.</summary>
    Started,

    /// <summary>No rate signal for <see cref="RateLearner.QuietPeriod"/>: the client sends unpaced again.</summary>
    Stopped,
}
