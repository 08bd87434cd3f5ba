using System.Threading.RateLimiting;

namespace ResiliencePresets.Redis;

/// <summary>
/// One process's view of the token bucket all processes of a shared key draw from. Permits are leased from Redis in
/// small batches, only while requests wait for one, and handed to the waiting requests in arrival order at the moment
/// each permit is earned; so an attempt costs at most one Redis round trip, and a batch costs one. When Redis cannot
/// be reached, permits come at once from a <see cref="LocalBucket"/> at the rate divided among the instances last
/// seen.
/// </summary>
/// <remarks>
/// A batch is at most a tenth of a second of the rate (at least 1, at most 100 permits). A lease asks for as many as
/// wait, or for twice what the previous lease was granted when none of those went unused, so that a caller that sends
/// one request after another (one waiter at a time) pays one round trip per batch, not per request, and a lease never
/// asks for more than the instance has lately used. A leased permit not used within a second of becoming usable (its
/// request was cancelled, or demand fell) is dropped, so that permits cannot pile up into a burst the bucket would not
/// allow, and the next lease asks for as many as wait again.
/// </remarks>
internal sealed class SharedTokenBucket : RateLimiter
{
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(1);

    private readonly object _lock = new();
    private readonly SharedClient _shared;
    private readonly TimeProvider _time;
    private readonly LinkedList<TaskCompletionSource<RateLimitLease>> _waiters = new();
    private readonly Queue<DateTimeOffset> _permits = new();
    private readonly LocalBucket _fallback = new();
    private readonly Func<double> _rate;
    private readonly int _queueLimit;
    private bool _pumping;

    // Whether the last lease showed that no permit is usable now: the requests waiting from then on are queued, and
    // RateLimit:QueueLimit bounds them. A request that only waits for a lease's round trip is not queued.
    private bool _bucketEmptyNow;
    private bool _disposed;
    private TimeSpan _retryAfter;
    private long _leased;
    private long _refused;

    // Twice the previous grant while none of its permits went unused; 0 once one did.
    private int _demand;

    // When the permits in hand were leased (a learner's bucket drops them once its rate is cut after that).
    private DateTimeOffset _leasedAt;

    public SharedTokenBucket(SharedClient shared, double permitsPerSecond, int size, int queueLimit, TimeProvider time)
        : this(shared, shared.Keys.Bucket, () => permitsPerSecond, size, queueLimit, time)
    {
    }

    /// <summary>A bucket under <paramref name="key"/> whose rate is read at each lease (the learned rate, which changes).</summary>
    public SharedTokenBucket(SharedClient shared, StackExchange.Redis.RedisKey key, Func<double> permitsPerSecond, int size, int queueLimit, TimeProvider time)
    {
        _shared = shared;
        _time = time;
        Key = key;
        _rate = permitsPerSecond;
        Size = size;
        _queueLimit = queueLimit;
    }

    /// <summary>Gets, for the bucket of a learned rate, how long ago the rate was last lowered or set by a quota (the
    /// owner rule of <see cref="LeaseScript"/>); <see langword="null"/> for a configured bucket.</summary>
    public Func<TimeSpan>? SinceCut { get; init; }

    /// <summary>Gets the learner of a learned rate's bucket, told of the owner's rate and the age of its last cut after
    /// each lease Redis answered to a caller that is not the owner; <see langword="null"/> for a quota's pace. The
    /// bucket drops the permits it leased before the learner last lowered its rate: they were earned at the rate that
    /// met the limit, and sending them would only meet it again.</summary>
    public ISharedLearner? Learner { get; init; }

    /// <summary>Gets the Redis key of the bucket's hash.</summary>
    public StackExchange.Redis.RedisKey Key { get; }

    /// <summary>Gets the bucket's rate now: fixed for a configured bucket, the learned rate for the learned one.</summary>
    public double PermitsPerSecond => Math.Max(_rate(), 0.001);

    public int Size { get; }

    /// <summary>Gets how far ahead a lease may reserve permits: a second, or one permit's interval if longer; none
    /// when the queue limit is 0 (a lease then takes only the permits usable now, so that a refused request
    /// reserves none).</summary>
    public TimeSpan Horizon => _queueLimit == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Max(1, 1 / PermitsPerSecond));

    // A batch is at most a tenth of a second of the rate (at least 1, at most 100 permits).
    private int Batch => (int)Math.Clamp(Math.Ceiling(PermitsPerSecond / 10), 1, 100);

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = _permits.Count,
                CurrentQueuedCount = _waiters.Count,
                TotalSuccessfulLeases = _leased,
                TotalFailedLeases = _refused,
            };
        }
    }

    /// <summary>Hands out a permit leased earlier that is usable now; never calls Redis.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckCount(permitCount);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            DropStale(now);
            if (_waiters.Count == 0 && _permits.TryPeek(out var usable) && usable <= now)
            {
                if (permitCount == 1)
                {
                    _permits.Dequeue();
                    _leased++;
                }

                return PermitLease.Granted;
            }

            _refused++;
            return PermitLease.Refused(null);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckCount(permitCount);
        TaskCompletionSource<RateLimitLease> waiter;
        LinkedListNode<TaskCompletionSource<RateLimitLease>> node;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            DropStale(now);
            if (_waiters.Count == 0 && _permits.TryPeek(out var usable) && usable <= now)
            {
                _permits.Dequeue();
                _leased++;
                return new(PermitLease.Granted);
            }

            if (_bucketEmptyNow && _waiters.Count >= _queueLimit)
            {
                _refused++;
                return new(PermitLease.Refused(_permits.TryPeek(out var next) && next > now ? next - now : null));
            }

            waiter = new TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
            if (!_pumping)
            {
                _pumping = true;
                _ = PumpAsync();
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() =>
            {
                lock (_lock)
                {
                    if (node.List is not null)
                    {
                        _waiters.Remove(node);
                    }
                }

                waiter.TrySetCanceled(cancellationToken);
            });
            _ = waiter.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return new(waiter.Task);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                _disposed = true;
                foreach (var waiter in _waiters)
                {
                    waiter.TrySetResult(PermitLease.Refused(null));
                }

                _waiters.Clear();
            }
        }

        base.Dispose(disposing);
    }

    private static void CheckCount(int permitCount)
        => ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, 1, nameof(permitCount));

    // One pump per bucket while requests wait: hands out the permits usable now, sleeps until the next one, and leases
    // the next batch when none is left. It never throws: a lease that fails has come from the local fallback.
    private async Task PumpAsync()
    {
        try
        {
            await PumpPermitsAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A fault here is a bug of this class: the requests waiting are refused, never left hanging.
        catch (Exception)
#pragma warning restore CA1031
        {
            lock (_lock)
            {
                foreach (var waiter in _waiters)
                {
                    waiter.TrySetResult(PermitLease.Refused(null));
                }

                _waiters.Clear();
                _pumping = false;
            }
        }
    }

    private async Task PumpPermitsAsync()
    {
        while (true)
        {
            TimeSpan delay;
            int wanted;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                DropStale(now);
                while (_waiters.First is { } first && _permits.TryPeek(out var usable) && usable <= now)
                {
                    _waiters.RemoveFirst();
                    if (first.Value.TrySetResult(PermitLease.Granted))
                    {
                        _permits.Dequeue();
                        _leased++;
                    }
                }

                _bucketEmptyNow = _waiters.Count > 0 && (_permits.Count > 0 || _bucketEmptyNow);
                if (_bucketEmptyNow)
                {
                    RefuseBeyondQueueLimit(now);
                }

                if (_waiters.Count == 0 || _disposed)
                {
                    _pumping = false;
                    return;
                }

                wanted = _permits.Count == 0 ? Math.Min(Math.Max(_waiters.Count, _demand), Batch) : 0;
                delay = wanted == 0 ? _permits.Peek() - now : TimeSpan.Zero;
            }

            if (wanted > 0)
            {
                var grant = await _shared.LeaseAsync(this, wanted).ConfigureAwait(false);
                if (Learner is { } learner && grant.Instances > 0)
                {
                    learner.Leased(grant.Instances);
                    if (grant.SinceOwnerCut is { } sinceOwnerCut)
                    {
                        learner.AdoptShared(grant.PermitsPerSecond, sinceOwnerCut);
                    }
                }

                lock (_lock)
                {
                    for (var j = 1; j <= grant.Granted; j++)
                    {
                        _permits.Enqueue(grant.UsableAt(j));
                    }

                    _leasedAt = grant.At;

                    _bucketEmptyNow = grant.Granted == 0 || grant.UsableAt(1) > grant.At;
                    _demand = 2 * grant.Granted;
                    _retryAfter = grant.Granted == 0 ? grant.RetryAfter(Horizon) : TimeSpan.Zero;
                }

                // Nothing granted: ask again when the bucket will have earned a permit; the queue is trimmed first.
                delay = TimeSpan.Zero;
                if (grant.Granted == 0 && _queueLimit > 0)
                {
                    delay = grant.RetryAfter(Horizon);
                }
            }

            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _time).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Leases from the local fallback, at the rate and size divided by <paramref name="instances"/>.</summary>
    internal LeaseGrant LeaseLocally(int wanted, int instances)
    {
        var share = Math.Max(1, instances);
        return _fallback.Lease(_time.GetUtcNow(), PermitsPerSecond / share, Math.Max(1d, (double)Size / share), wanted, Horizon);
    }

    // The newest requests beyond the queue limit are refused, with when the next permit is expected.
    private void RefuseBeyondQueueLimit(DateTimeOffset now)
    {
        var retryAfter = _permits.TryPeek(out var next) && next > now ? next - now : _retryAfter;
        while (_waiters.Count > _queueLimit && _waiters.Last is { } newest)
        {
            _waiters.RemoveLast();
            if (newest.Value.TrySetResult(PermitLease.Refused(retryAfter > TimeSpan.Zero ? retryAfter : null)))
            {
                _refused++;
            }
        }
    }

    private void DropStale(DateTimeOffset now)
    {
        if (Learner is { } learner && _permits.Count > 0 && now - learner.SinceDecrease > _leasedAt)
        {
            _permits.Clear();
            _demand = 0;
            return;
        }

        while (_permits.TryPeek(out var usable) && now - usable > StaleAfter)
        {
            _permits.Dequeue();
            _demand = 0;
        }
    }
}
