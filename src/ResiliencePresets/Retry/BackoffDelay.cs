namespace ResiliencePresets;

/// <summary>
/// Exponential backoff with full jitter: retry N waits a uniformly random time in [0, min(cap, base × 2^(N-1))), so that
/// clients that failed together do not retry together.
/// </summary>
internal static class BackoffDelay
{
    /// <param name="retryIndex">0 for the first retry.</param>
    /// <param name="baseDelay">The base delay.</param>
    /// <param name="maxDelay">The cap.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Compute(int retryIndex, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        var ceilingTicks = Math.Min(maxDelay.Ticks, Math.ScaleB(baseDelay.Ticks, Math.Min(retryIndex, 62)));
        return TimeSpan.FromTicks((long)(ceilingTicks * random));
    }
}
