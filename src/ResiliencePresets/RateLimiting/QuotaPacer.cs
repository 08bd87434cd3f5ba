namespace ResiliencePresets;

/// <summary>
/// Spreads a client's requests over the rest of the server's rate-limit window, from the remaining quota the server
/// reports, instead of spending it at once and then meeting 429s.
/// </summary>
/// <remarks>
/// After a response says <c>remaining</c> requests are left until the window resets in <c>resetIn</c>, requests start
/// at most one per <c>resetIn / remaining</c> until the window's end. A response without quota headers changes nothing.
/// A window ending past <see cref="DateTimeOffset.MaxValue"/> ends at that value; nothing here overflows.
/// </remarks>
internal sealed class QuotaPacer
{
    private readonly object _lock = new();
    private long _intervalTicks;
    private long _windowEndUtcTicks;
    private long _nextSlotUtcTicks;

    /// <summary>Gets a value indicating whether a server ever reported a quota, so that an unpaced client skips the lock.</summary>
    public bool IsPacing => Volatile.Read(ref _intervalTicks) != 0;

    public void Observe(long remaining, TimeSpan resetIn, DateTimeOffset now)
    {
        if (remaining <= 0 || resetIn <= TimeSpan.Zero)
        {
            // An exhausted quota is the client pause's to handle.
            return;
        }

        lock (_lock)
        {
            _intervalTicks = resetIn.Ticks / remaining;
            _windowEndUtcTicks = UtcTicks.After(now, resetIn);
        }
    }

    /// <summary>Reserves the next start slot and returns how long a request starting now must wait for it.</summary>
    public TimeSpan Reserve(DateTimeOffset now)
    {
        var nowTicks = now.UtcTicks;
        lock (_lock)
        {
            if (nowTicks >= _windowEndUtcTicks || _intervalTicks == 0)
            {
                return TimeSpan.Zero;
            }

            var slot = Math.Max(nowTicks, _nextSlotUtcTicks);
            _nextSlotUtcTicks = UtcTicks.Add(slot, _intervalTicks);
            return TimeSpan.FromTicks(Math.Min(slot, _windowEndUtcTicks) - nowTicks);
        }
    }
}
