namespace ResiliencePresets;

/// <summary>
/// The moment until which a whole client holds its requests, because a server told it to wait, and which response
/// said so.
/// </summary>
internal sealed class ClientPause
{
    private readonly object _lock = new();
    private long _untilUtcTicks;
    private ClientPauseReason? _reason;

    /// <summary>Gets a value indicating whether a pause was ever set, so that a client never paused skips the clock.</summary>
    public bool IsSet => Volatile.Read(ref _untilUtcTicks) != 0;

    /// <summary>Gets the response that set the pause now in force, or last in force.</summary>
    public ClientPauseReason? Reason => Volatile.Read(ref _reason);

    /// <summary>Gets the instant the pause ends; <see cref="DateTimeOffset.MinValue"/> when it was never set.</summary>
    public DateTimeOffset Until => new(Volatile.Read(ref _untilUtcTicks), TimeSpan.Zero);

    /// <summary>Returns how long a request starting now must wait; zero when the client is not paused.</summary>
    public TimeSpan Remaining(DateTimeOffset now)
    {
        var remaining = Volatile.Read(ref _untilUtcTicks) - now.UtcTicks;
        return remaining > 0 ? TimeSpan.FromTicks(remaining) : TimeSpan.Zero;
    }

    /// <summary>Pauses the client until <paramref name="until"/>, unless it is already paused for longer.</summary>
    /// <returns><see langword="true"/> when this call started or lengthened the pause.</returns>
    public bool Extend(DateTimeOffset until, ClientPauseReason? reason = null) => Extend(until.UtcTicks, reason);

    /// <summary>Pauses the client for <paramref name="wait"/> from <paramref name="now"/>, unless it is already paused
    /// for longer; a moment past <see cref="DateTimeOffset.MaxValue"/> is read as that value.</summary>
    /// <returns><see langword="true"/> when this call started or lengthened the pause.</returns>
    public bool Extend(DateTimeOffset now, TimeSpan wait, ClientPauseReason? reason = null) => Extend(UtcTicks.After(now, wait), reason);

    private bool Extend(long ticks, ClientPauseReason? reason)
    {
        if (ticks <= Volatile.Read(ref _untilUtcTicks))
        {
            return false;
        }

        // Rare (a server asked for a wait): a lock keeps the instant and its reason together.
        lock (_lock)
        {
            if (ticks <= _untilUtcTicks)
            {
                return false;
            }

            Volatile.Write(ref _reason, reason);
            Volatile.Write(ref _untilUtcTicks, ticks);
            return true;
        }
    }
}
