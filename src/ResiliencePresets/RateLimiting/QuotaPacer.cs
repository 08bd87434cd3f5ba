using System.Threading.RateLimiting;

namespace ResiliencePresets;

/// <summary>
/// Spreads a client's requests over the rest of the server's rate-limit window, from the remaining quota the server
/// reports, instead of spending it at once and then meeting 429s.
/// </summary>
/// <remarks>
/// After a response says <c>remaining</c> requests are left until the window resets in <c>resetIn</c>, requests start
/// at most one per <c>resetIn / remaining</c> until the window's end. A response without quota headers changes nothing.
/// A window ending past <see cref="DateTimeOffset.MaxValue"/> ends at that value; nothing here overflows.
/// <para>Shared (<see cref="SharedBucket"/>): a quota is the account's, so the processes that share a key keep to its
/// pace together, through the one bucket of the key's learned rate, instead of each to the whole pace.</para>
/// <para>Lifetime: one <see cref="RateScope"/>, so one named client.</para>
/// </remarks>
internal sealed class QuotaPacer : IDisposable
{
    private readonly object _lock = new();
    private long _intervalTicks;
    private long _windowEndUtcTicks;
    private long _nextSlotUtcTicks;
    private long _observedUtcTicks;
    private double _minPermitsPerSecond;
    private ISharedClientState? _sharedBy;
    private RateLimiter? _sharedBucket;

    /// <summary>Gets a value indicating whether a server ever reported a quota, so that an unpaced client skips the lock.</summary>
    public bool IsPacing => Volatile.Read(ref _intervalTicks) != 0;

    /// <summary>Gets the pace the latest quota set, in requests per second (<c>remaining / resetIn</c>); 0 before any.</summary>
    public double PermitsPerSecond => Volatile.Read(ref _intervalTicks) is var interval and not 0 ? (double)TimeSpan.TicksPerSecond / interval : 0;

    /// <summary>Returns whether the latest quota's window still lasts at <paramref name="now"/>: only then does the pace hold a request.</summary>
    public bool Holds(DateTimeOffset now) => IsPacing && now.UtcTicks < Interlocked.Read(ref _windowEndUtcTicks);

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
            _observedUtcTicks = now.UtcTicks;
        }
    }

    /// <summary>
    /// Returns the bucket this pace shares with the other processes of <paramref name="shared"/>'s key: the key's
    /// learned bucket (<see cref="ISharedClientState.LearnedBucket"/>), refilled at this pace, at least
    /// <paramref name="minPermitsPerSecond"/> (a pace never holds a request longer than a server's wait is honored).
    /// Each quota read counts as the rate's latest cut, so the process that read the server's latest figure sets the
    /// rate for all. A bucket of a key the client no longer shares is retired: its waiters go.
    /// </summary>
    public RateLimiter SharedBucket(ISharedClientState shared, double minPermitsPerSecond, TimeProvider timeProvider)
    {
        Volatile.Write(ref _minPermitsPerSecond, minPermitsPerSecond);
        RateLimiter? retired = null;
        RateLimiter bucket;
        lock (_lock)
        {
            if (!ReferenceEquals(shared, _sharedBy) || _sharedBucket is null)
            {
                retired = _sharedBucket;
                _sharedBy = shared;
                _sharedBucket = shared.LearnedBucket(
                    () => Math.Max(PermitsPerSecond, Volatile.Read(ref _minPermitsPerSecond)),
                    () => TimeSpan.FromTicks(Math.Max(0, timeProvider.GetUtcNow().UtcTicks - Interlocked.Read(ref _observedUtcTicks))));
            }

            bucket = _sharedBucket;
        }

        retired?.Dispose();
        return bucket;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _sharedBucket?.Dispose();
            _sharedBucket = null;
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

            // Slots never run past the window's end: a slot there is the window's end, and the next window's quota
            // paces its own requests, not behind the slots this one could not hold.
            var slot = Math.Max(nowTicks, _nextSlotUtcTicks);
            _nextSlotUtcTicks = Math.Min(UtcTicks.Add(slot, _intervalTicks), _windowEndUtcTicks);
            return TimeSpan.FromTicks(Math.Min(slot, _windowEndUtcTicks) - nowTicks);
        }
    }
}
