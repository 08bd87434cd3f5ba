namespace ResiliencePresets;

/// <summary>
/// Lengthens a wait the server named by a little, because a timer can fire slightly before its due time:
/// <c>Task.Delay</c> counts whole milliseconds against a coarse system tick (about 1 to 4 ms on Linux, 15.6 ms on
/// Windows). Without it a retry timed to the instant the server named can arrive just before that instant, where a
/// rate limiter whose window has not yet reset refuses it again.
/// </summary>
internal static class ServerWaitPadding
{
    public static readonly TimeSpan Padding = TimeSpan.FromMilliseconds(16);

    /// <summary>
    /// Returns the wait to sleep for: the planned one, plus <see cref="Padding"/> when the server named it, never
    /// reaching past what is left of the total timeout.
    /// </summary>
    public static TimeSpan Apply(in RetryDecision planned, TimeSpan timeLeft)
    {
        if (planned.Source != RetryDelaySource.ServerHeader)
        {
            return planned.Delay;
        }

        var room = timeLeft - planned.Delay;
        return planned.Delay + (room <= TimeSpan.Zero ? TimeSpan.Zero : room < Padding ? room : Padding);
    }
}
