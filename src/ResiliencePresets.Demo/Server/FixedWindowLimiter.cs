namespace ResiliencePresets.Demo.Server;

/// <summary>
/// A per-key request quota that resets at fixed instants (multiples of the window since the epoch), as API quotas do.
/// Rejected requests do not use up quota. Not thread-safe: the owning <see cref="ServerLedger"/> locks.
/// </summary>
internal sealed class FixedWindowLimiter(TimeSpan window, int limit)
{
    private long _windowIndex = -1;
    private int _used;

    public int Limit => limit;

    /// <summary>Returns when the window that holds <paramref name="now"/> ends.</summary>
    public DateTimeOffset WindowEnd(DateTimeOffset now) => new(((now.UtcTicks / window.Ticks) + 1) * window.Ticks, TimeSpan.Zero);

    /// <summary>Takes one request from the quota; returns <see langword="null"/> when admitted, otherwise when the window resets.</summary>
    public DateTimeOffset? TryAcquire(DateTimeOffset now, out int remaining)
    {
        var index = now.UtcTicks / window.Ticks;
        if (index != _windowIndex)
        {
            _windowIndex = index;
            _used = 0;
        }

        if (_used < limit)
        {
            _used++;
            remaining = limit - _used;
            return null;
        }

        remaining = 0;
        return WindowEnd(now);
    }
}
