using System.Threading.RateLimiting;

namespace ResiliencePresets;

/// <summary>
/// A token bucket of one token whose rate can change at any time: permits start at least one interval
/// (1 / <see cref="PermitsPerSecond"/>) apart, a waiter is never served while the pause it is held by lasts (its
/// host's <see cref="ClientPause"/>, read when permits are given, so a pause set later holds the waiters already
/// queued), and the waiters that may go are served in their request's arrival order, not in the order they joined the
/// queue, so that a retry is not overtaken by requests that arrived after its request did. Driven by a
/// <see cref="TimeProvider"/>: one timer, set for the next permit.
/// </summary>
/// <remarks>
/// One token, because a limiter that admits one request per interval (nginx's <c>limit_req</c> without a burst) refuses
/// two sent together; a lost burst costs at most one interval. The spacing counts from when each permit was actually
/// given, so a late timer lowers the rate a little and never releases a burst.
/// </remarks>
internal sealed class LearnedRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(true);
    private static readonly RateLimitLease NotAcquired = new Lease(false);

    private readonly object _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly List<Waiter> _queue = [];
    private readonly ITimer _timer;
    private long _intervalTicks;
    private long _lastPermitUtcTicks = long.MinValue;
    private long _order;
    private int _waiting;
    private long _successful;
    private long _failed;
    private bool _disposed;

    public LearnedRateLimiter(TimeProvider timeProvider, double permitsPerSecond)
    {
        _timeProvider = timeProvider;
        _intervalTicks = IntervalTicks(permitsPerSecond);
        _timer = timeProvider.CreateTimer(_ => Release(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets the rate permits are given at now.</summary>
    public double PermitsPerSecond => (double)TimeSpan.TicksPerSecond / Volatile.Read(ref _intervalTicks);

    /// <summary>Gets the attempts waiting for a permit.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var freeAt = NextPermitUtcTicks();
                var now = _timeProvider.GetUtcNow().UtcTicks;
                return _waiting > 0 || now < freeAt ? null : TimeSpan.FromTicks(freeAt == long.MinValue ? 0 : now - freeAt);
            }
        }
    }

    /// <summary>Changes the rate; waiting attempts follow it at once.</summary>
    public void SetRate(double permitsPerSecond)
    {
        lock (_lock)
        {
            _intervalTicks = IntervalTicks(permitsPerSecond);
        }

        Release();
    }

    /// <summary>Waits for a permit in the order of <paramref name="position"/>: of the waiters whose
    /// <paramref name="pause"/> is over (and <see cref="ServerWaitSpread.Padding"/> after it), the smallest position
    /// is served first (equal positions in the order they asked).</summary>
    public ValueTask<RateLimitLease> AcquireAsync(long position, CancellationToken cancellationToken, ClientPause? pause = null)
    {
        Waiter waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _timeProvider.GetUtcNow().UtcTicks;
            waiter = new Waiter(position, _order, pause);
            if (_waiting == 0 && now >= waiter.NotBeforeUtcTicks && TryTakeLocked(now))
            {
                return new(Acquired);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
            }

            _order++;
            _queue.Add(waiter);
            _waiting++;
            ScheduleLocked(_timeProvider.GetUtcNow().UtcTicks);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static (state, token) => ((LearnedRateLimiter)((object[])state!)[0]).Cancel((Waiter)((object[])state!)[1], token), new object[] { this, waiter });
        }

        return new(waiter.Completion.Task);
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _waiting == 0 && _timeProvider.GetUtcNow().UtcTicks >= NextPermitUtcTicks() ? 1 : 0,
                CurrentQueuedCount = _waiting,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _timeProvider.GetUtcNow().UtcTicks;
            if (permitCount == 0)
            {
                return _waiting == 0 && now >= NextPermitUtcTicks() ? Acquired : NotAcquired;
            }

            if (_waiting == 0 && TryTakeLocked(now))
            {
                return Acquired;
            }

            _failed++;
            return NotAcquired;
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1);
        return permitCount == 0 ? new(AttemptAcquireCore(0)) : AcquireAsync(_timeProvider.GetTimestamp(), cancellationToken);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing)
        {
            return;
        }

        List<Waiter> abandoned = [];
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var waiter in _queue)
            {
                waiter.Done = true;
                abandoned.Add(waiter);
            }

            _queue.Clear();

            _waiting = 0;
        }

        _timer.Dispose();
        foreach (var waiter in abandoned)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetException(new ObjectDisposedException(nameof(LearnedRateLimiter)));
        }
    }

    // One permit per interval; a rate too slow for a timer is read as the slowest the settings allow.
    private static long IntervalTicks(double permitsPerSecond)
        => (long)Math.Clamp(TimeSpan.TicksPerSecond / permitsPerSecond, 1, TimeSpan.TicksPerDay);

    private long NextPermitUtcTicks()
        => _lastPermitUtcTicks == long.MinValue ? long.MinValue : _lastPermitUtcTicks + _intervalTicks;

    // The first waiter in arrival order whose moment has come, and the earliest moment a waiter may go.
    private (Waiter? Next, long EarliestUtcTicks) NextWaiterLocked(long now)
    {
        Waiter? next = null;
        var earliest = long.MaxValue;
        foreach (var waiter in _queue)
        {
            earliest = Math.Min(earliest, waiter.NotBeforeUtcTicks);
            if (waiter.NotBeforeUtcTicks <= now && (next is null || (waiter.Position, waiter.Order).CompareTo((next.Position, next.Order)) < 0))
            {
                next = waiter;
            }
        }

        return (next, earliest);
    }

    private bool TryTakeLocked(long now)
    {
        if (now < NextPermitUtcTicks())
        {
            return false;
        }

        _lastPermitUtcTicks = now;
        _successful++;
        return true;
    }

    private void ScheduleLocked(long now)
    {
        if (_disposed)
        {
            return;
        }

        if (_waiting == 0)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        // Both moments may be long.MinValue (no permit given yet, a waiter no pause holds): due at once, never a
        // subtraction that overflows into a day.
        var due = Math.Max(NextPermitUtcTicks(), NextWaiterLocked(now).EarliestUtcTicks);
        var wait = due > now ? Math.Min(due - now, TimeSpan.TicksPerDay) : 1;
        _timer.Change(TimeSpan.FromTicks(wait), Timeout.InfiniteTimeSpan);
    }

    // Gives the permit that is due, if any, to the waiter that arrived first; the continuation runs outside the lock.
    private void Release()
    {
        Waiter? next = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            var now = _timeProvider.GetUtcNow().UtcTicks;
            if (_waiting > 0 && now >= NextPermitUtcTicks() && NextWaiterLocked(now).Next is { } first && TryTakeLocked(now))
            {
                next = first;
                _queue.Remove(next);
                next.Done = true;
                _waiting--;
            }

            ScheduleLocked(now);
        }

        if (next is not null)
        {
            next.Registration.Dispose();
            next.Completion.TrySetResult(Acquired);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (waiter.Done)
            {
                return;
            }

            waiter.Done = true;
            _queue.Remove(waiter);
            _waiting--;
            _failed++;
            ScheduleLocked(_timeProvider.GetUtcNow().UtcTicks);
        }

        waiter.Completion.TrySetCanceled(token);
    }

    private sealed class Waiter(long position, long order, ClientPause? pause)
    {
        private static readonly long PaddingTicks = ServerWaitSpread.Padding.Ticks;

        public long Position { get; } = position;

        public long Order { get; } = order;

        // The pause's end plus the padding every server wait gets: one moment for all its waiters, so they leave in
        // arrival order.
        public long NotBeforeUtcTicks => pause is { IsSet: true } ? UtcTicks.Add(pause.Until.UtcTicks, PaddingTicks) : long.MinValue;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public bool Done { get; set; }
    }

    private sealed class Lease(bool isAcquired) : RateLimitLease
    {
        public override bool IsAcquired { get; } = isAcquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
