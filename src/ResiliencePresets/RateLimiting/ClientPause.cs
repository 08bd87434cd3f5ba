namespace ResiliencePresets;

/// <summary>
/// The moment until which a whole client holds its requests, because a server told it to wait.
/// </summary>
internal sealed class ClientPause
{
    private long _untilUtcTicks;

    /// <summary>Gets a value indicating whether a pause was ever set, so that a client never paused skips the clock.</summary>
    public bool IsSet => Volatile.Read(ref _untilUtcTicks) != 0;

    /// <summary>Returns how long a request starting now must wait; zero when the client is not paused.</summary>
    public TimeSpan Remaining(DateTimeOffset now)
    {
        var remaining = Volatile.Read(ref _untilUtcTicks) - now.UtcTicks;
        return remaining > 0 ? TimeSpan.FromTicks(remaining) : TimeSpan.Zero;
    }

    /// <summary>Pauses the client until <paramref name="until"/>, unless it is already paused for longer.</summary>
    /// <returns><see langword="true"/> when this call started or lengthened the pause.</returns>
    public bool Extend(DateTimeOffset until) => Extend(until.UtcTicks);

    /// <summary>Pauses the client for <paramref name="wait"/> from <paramref name="now"/>, unless it is already paused
    /// for longer; a moment past <see cref="DateTimeOffset.MaxValue"/> is read as that value.</summary>
    /// <returns><see langword="true"/> when this call started or lengthened the pause.</returns>
    public bool Extend(DateTimeOffset now, TimeSpan wait) => Extend(UtcTicks.After(now, wait));

    private bool Extend(long ticks)
    {
        var current = Volatile.Read(ref _untilUtcTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _untilUtcTicks, ticks, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }
}
