using System.Globalization;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace ResiliencePresets.Redis;

/// <summary>
/// The state of one shared key, in one service provider: every client of the provider that shares under the key is a
/// member. A pause a member learns is announced through <see cref="PauseScript"/>, for its scope; a pause announced by
/// any process (this one included) extends that scope's <see cref="ClientPause"/> in every member, converted to the
/// local clock through its remaining length. Each member's bucket leases permits through <see cref="LeaseScript"/>.
/// </summary>
/// <remarks>
/// Round trips: one sync when the key is first joined and whenever Redis is usable again (it also hands Redis the
/// pauses learned while Redis was away); one announcement per pause that moves later by more than 50 ms, off the
/// request's path; one lease per batch of permits while a bucket has requests waiting. Nothing else: a client with no
/// pause and no rate in force never calls Redis.
/// </remarks>
internal sealed class SharedClient : ISharedClientState
{
    /// <summary>How long an instance counts as sharing the key after its last call to Redis (a join, a pause, a lease).</summary>
    public static readonly TimeSpan Liveness = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the owner of a learned rate (<see cref="LeaseScript"/>) keeps it without leasing: while it throttles it
    /// leases every few batches, so one that has not for this long went idle, and a rate it no longer raises must not
    /// hold the others at the level of its last cut.
    /// </summary>
    public static readonly TimeSpan OwnerTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long, at most, an instance that is back on Redis keeps leasing locally at its share while fewer instances
    /// than it counted before are back: each instance comes back at its own probe (a quarter second apart at most), and
    /// the first one back, leasing alone from a bucket the others do not draw from yet, would take the whole rate while
    /// the others still send their shares.
    /// </summary>
    public static readonly TimeSpan HandOver = TimeSpan.FromSeconds(1);

    private static readonly long AnnounceStepTicks = TimeSpan.FromMilliseconds(50).Ticks;

    private readonly object _lock = new();
    private readonly List<ClientRuntime> _members = [];
    private readonly SharedKeys _keys;
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly string _instance;
    private readonly Dictionary<string, long> _announced = new(StringComparer.Ordinal);
    private long _timeoutTicks;
    private int _instances = 1;
    private int _handOverInstances;
    private long _handOverUntilUtcTicks;
    private long _instancesCountedUtcTicks;
    private Task? _ready;

    public SharedClient(SharedKeys keys, RedisConnection redis, TimeProvider time, string instance)
    {
        _keys = keys;
        _redis = redis;
        _time = time;
        _instance = instance;
        redis.Subscribe(keys.Channel, (_, message) => OnNotice(message));
    }

    public Task Ready => _ready ?? Task.CompletedTask;

    /// <summary>Gets the instances that used the key within <see cref="Liveness"/> (joined it, announced a pause or leased
    /// from a bucket), as Redis said: the highest count of the last <see cref="Liveness"/>; 1 before it said.</summary>
    public int Instances => Volatile.Read(ref _instances);

    private TimeSpan Timeout => TimeSpan.FromTicks(Interlocked.Read(ref _timeoutTicks));

    /// <summary>Adds a client (once) and takes the timeout of its latest settings; the first member starts the first sync.</summary>
    public void Join(ClientRuntime client, TimeSpan timeout)
    {
        Interlocked.Exchange(ref _timeoutTicks, timeout.Ticks);
        lock (_lock)
        {
            if (!_members.Contains(client))
            {
                _members.Add(client);
            }

            _ready ??= SyncAsync();
        }
    }

    /// <summary>Removes a client that no longer shares under this key; it keeps the pauses it has.</summary>
    public void Leave(ClientRuntime client)
    {
        lock (_lock)
        {
            _members.Remove(client);
        }
    }

    public void Paused(TimeSpan wait, ClientPauseReason reason)
    {
        if (PauseNotice.Field(reason) is not { } field)
        {
            return;
        }

        // A burst of refusals lengthens the pause by a little each: one announcement per 50 ms it moves later.
        if (MovesAnnouncedPause(field, UtcTicks.After(_time.GetUtcNow(), wait), AnnounceStepTicks))
        {
            _ = WritePausesAsync("pause", [(field, wait, reason)]);
        }
    }

    public RateLimiter Bucket(double permitsPerSecond, int burst, int queueLimit)
        => new SharedTokenBucket(this, permitsPerSecond, TokenBucketSettings.Options(permitsPerSecond, burst, queueLimit).TokenLimit, queueLimit, _time);

    // One token, as the local learned bucket (a limiter without a burst refuses two sent together); every attempt of a
    // throttling client waits for it, so no queue limit of its own.
    public RateLimiter LearnedBucket(Func<double> permitsPerSecond, Func<TimeSpan> sinceCut, ISharedLearner? learner = null)
        => new SharedTokenBucket(this, _keys.Learned, permitsPerSecond, size: 1, queueLimit: int.MaxValue, _time) { SinceCut = sinceCut, Learner = learner };

    /// <summary>Gets the Redis keys of the shared key.</summary>
    public SharedKeys Keys => _keys;

    /// <summary>
    /// Tells Redis of the pauses the members are under (those learned while Redis was away, or none) and learns every
    /// shared one; run on the first join and whenever Redis is usable again.
    /// </summary>
    public Task SyncAsync()
    {
        var now = _time.GetUtcNow();
        var pauses = new Dictionary<string, (string Field, TimeSpan Wait, ClientPauseReason Reason)>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var scope in _members.SelectMany(m => m.Scopes.All))
            {
                if (scope.Pause.Remaining(now) is var remaining && remaining > TimeSpan.Zero && scope.Pause.Reason is { } reason &&
                    PauseNotice.Field(reason) is { } field && (!pauses.TryGetValue(field, out var known) || known.Wait < remaining))
                {
                    pauses[field] = (field, remaining, reason);
                }
            }
        }

        return WritePausesAsync("sync", [.. pauses.Values]);
    }

    /// <summary>
    /// Starts the hand-over after Redis was away (<see cref="HandOver"/>): until as many instances as this one counted
    /// before have called Redis again, or for <see cref="HandOver"/> at most, its buckets lease locally at its share, and
    /// each lease only tells Redis this instance is back and asks how many are.
    /// </summary>
    public void Restored()
    {
        var instances = Instances;
        if (instances <= 1)
        {
            return;
        }

        lock (_lock)
        {
            (_handOverInstances, _handOverUntilUtcTicks) = (instances, UtcTicks.After(_time.GetUtcNow(), HandOver));
        }
    }

    /// <summary>Leases up to <paramref name="wanted"/> permits for <paramref name="bucket"/>; from the local fallback when Redis cannot answer in time. Never throws.</summary>
    public async ValueTask<LeaseGrant> LeaseAsync(SharedTokenBucket bucket, int wanted)
    {
        var handingOver = HandingOver();
        var rate = bucket.PermitsPerSecond;
        var asked = handingOver > 0 ? 0 : wanted;
        RedisValue[] values = bucket.SinceCut is { } sinceCut
            ? [rate, bucket.Size, asked, Microseconds(bucket.Horizon), _instance, Microseconds(Liveness), Microseconds(sinceCut()), Microseconds(OwnerTimeout)]
            : [rate, bucket.Size, asked, Microseconds(bucket.Horizon), _instance, Microseconds(Liveness)];
        var result = await _redis.EvaluateAsync("lease", LeaseScript.Text, [bucket.Key, _keys.Instances], values, Timeout).ConfigureAwait(false);
        if (handingOver > 0)
        {
            // Back on Redis before the others: this lease took nothing from the shared bucket, and the permits come from
            // the local one at this instance's share until the others are back too.
            if (result?.Resp2Type == ResultType.Array && (RedisResult[]?)result is [_, _, _, var back, ..] && (int)back >= handingOver)
            {
                EndHandOver();
            }

            return bucket.LeaseLocally(wanted, Instances);
        }

        if (result?.Resp2Type == ResultType.Array && (RedisResult[]?)result is [_, var granted, var before, var instances, var refilled, var ownerCut, var owner] &&
            double.TryParse((string?)before, NumberStyles.Float, CultureInfo.InvariantCulture, out var tokensBefore) && double.IsFinite(tokensBefore) &&
            double.TryParse((string?)refilled, NumberStyles.Float, CultureInfo.InvariantCulture, out var sharedRate) && sharedRate > 0 && double.IsFinite(sharedRate) &&
            long.TryParse((string?)ownerCut, NumberStyles.None, CultureInfo.InvariantCulture, out var sinceOwnerCut))
        {
            Counted((int)instances);

            // The bucket refilled at the rate Redis used (the owner's, for a learned rate), so its permits come at that rate.
            return new LeaseGrant(_time.GetUtcNow(), tokensBefore, Math.Clamp((int)granted, 0, wanted), sharedRate)
            {
                Instances = Instances,
                SinceOwnerCut = bucket.SinceCut is null || (long)owner == 1 ? null : TimeSpan.FromTicks(Math.Min(sinceOwnerCut, TimeSpan.MaxValue.Ticks / 10) * 10),
            };
        }

        return bucket.LeaseLocally(wanted, Instances);
    }

    private static long Microseconds(TimeSpan span) => span.Ticks / 10;

    // The instances this one waits for while it hands over; 0 when it does not.
    private int HandingOver()
    {
        lock (_lock)
        {
            if (_handOverInstances > 0 && _time.GetUtcNow().UtcTicks >= _handOverUntilUtcTicks)
            {
                _handOverInstances = 0;
            }

            return _handOverInstances;
        }
    }

    private void EndHandOver()
    {
        lock (_lock)
        {
            _handOverInstances = 0;
        }
    }

    // Redis's count of the instances; a lower count replaces a higher one only once the higher is a liveness window old,
    // as Redis's own set forgets an instance, so that a Redis that restarted empty (and counts one instance at its first
    // lease) does not make a shared learner read the rate of all as that of this instance alone for a moment.
    private void Counted(int instances)
    {
        instances = Math.Max(1, instances);
        var now = _time.GetUtcNow().UtcTicks;
        lock (_lock)
        {
            if (instances >= _instances || now - _instancesCountedUtcTicks >= Liveness.Ticks)
            {
                _instancesCountedUtcTicks = now;
                Volatile.Write(ref _instances, instances);
            }
        }
    }

    private async Task WritePausesAsync(string operation, (string Field, TimeSpan Wait, ClientPauseReason Reason)[] pauses)
    {
        var values = new List<RedisValue>(4 + (3 * pauses.Length)) { _keys.ChannelName, RateScopes.MaxScopes, _instance, Microseconds(Liveness) };
        foreach (var (field, wait, reason) in pauses)
        {
            values.Add(field);
            values.Add(Microseconds(wait));
            values.Add(PauseNotice.Describe(reason));
        }

        var result = await _redis.EvaluateAsync(operation, PauseScript.Text, [_keys.Pause, _keys.Instances], [.. values], Timeout).ConfigureAwait(false);
        if (result?.Resp2Type == ResultType.Array && (RedisResult[]?)result is [var now, var instances, .. var inForce])
        {
            Counted((int)instances);
            foreach (var value in inForce)
            {
                if (PauseNotice.Read((string?)value) is { } pause)
                {
                    Extend((long)now, pause);
                }
            }
        }
    }

    private void OnNotice(RedisValue message)
    {
        if (PauseNotice.ReadNotice(message) is var (now, pause))
        {
            Extend(now, pause);
        }
    }

    // A pause from Redis holds, in every member, the scope the process that learned it paused.
    private void Extend(long redisNow, PauseNotice pause)
    {
        var remaining = pause.RemainingAt(redisNow);
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        var now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (var member in _members)
            {
                member.Scopes.Learn(pause.Url, pause.Reason.Scope).Pause.Extend(now, remaining, pause.Reason);
            }
        }

        // A pause learned from Redis is not announced back to it.
        if (PauseNotice.Field(pause.Reason) is { } field)
        {
            MovesAnnouncedPause(field, UtcTicks.After(now, remaining), step: 0);
        }
    }

    // Records that a scope's pause, as announced, ends at until; false when it already ended at most step earlier.
    private bool MovesAnnouncedPause(string field, long until, long step)
    {
        lock (_announced)
        {
            if (_announced.TryGetValue(field, out var announced) && until <= announced + step)
            {
                return false;
            }

            // Fields are scopes, bounded per client; forgetting them all past the bound costs only an announcement.
            if (_announced.Count >= RateScopes.MaxScopes * 4)
            {
                _announced.Clear();
            }

            _announced[field] = until;
            return true;
        }
    }
}
