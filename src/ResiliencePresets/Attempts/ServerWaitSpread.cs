namespace ResiliencePresets;

/// <summary>
/// Turns a wait the server named into the wait slept: a little jitter, so that clients told the same instant do not
/// come back together, and a little padding, because a timer can fire slightly early. The one place both are decided,
/// for retries and for the client pause alike.
/// </summary>
/// <remarks>
/// Jitter: up to 10 % of the wait, at most one second. Padding: 16 ms, because <c>Task.Delay</c> counts whole
/// milliseconds against a coarse system tick (about 1 to 4 ms on Linux, 15.6 ms on Windows), and a retry timed to the
/// instant the server named can otherwise arrive just before it and be refused again. The jitter never takes the wait past
/// <c>jitterRoom</c> (the longest wait honored), nor the padding past <c>paddingRoom</c> (the time left).
/// </remarks>
internal static class ServerWaitSpread
{
    public static readonly TimeSpan Padding = TimeSpan.FromMilliseconds(16);

    private const double JitterShare = 0.1;
    private static readonly TimeSpan MaxJitter = TimeSpan.FromSeconds(1);

    /// <param name="wait">The server's wait.</param>
    /// <param name="jitterRoom">The longest the wait may become with its jitter.</param>
    /// <param name="paddingRoom">The longest the wait may become with its padding: the time the caller has left.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Apply(TimeSpan wait, TimeSpan jitterRoom, TimeSpan paddingRoom, double random)
    {
        var jitterCeiling = Math.Max(0, Math.Min(Math.Min(wait.Ticks * JitterShare, MaxJitter.Ticks), (jitterRoom - wait).Ticks));
        var jittered = wait + TimeSpan.FromTicks((long)(jitterCeiling * random));
        var padding = Math.Max(0, Math.Min(Padding.Ticks, (paddingRoom - jittered).Ticks));
        return jittered + TimeSpan.FromTicks(padding);
    }
}
