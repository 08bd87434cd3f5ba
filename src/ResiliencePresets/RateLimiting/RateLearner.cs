using System.Threading.RateLimiting;

namespace ResiliencePresets;

/// <summary>
/// Learns the rate one client may send at from its server's replies, and paces every attempt of the client through a
/// <see cref="LearnedRateLimiter"/> at that rate once the server has sent a rate signal (<see cref="RateSignal"/>).
/// </summary>
/// <remarks>
/// <para>Before the first rate signal it costs nothing: the pacing reads <see cref="Flags"/> (one volatile read) and
/// goes on. The first signal engages it; from then on:</para>
/// <list type="bullet">
/// <item><b>A rate signal lowers the rate</b> to <see cref="Beta"/> (0.7) times the rate that met the limit, as the AWS
/// SDKs' adaptive retry mode does: the learned rate while attempts queue for the bucket (this process's, or the one the
/// processes that share the rate draw from), else the smaller of it and the send rate, measured without the time the
/// server paused the client (<see cref="SendRate"/>), and no more than what the server admitted when its answers say so
/// (<see cref="AdmittedRate"/>; read only by a process that sends alone: shared, its admissions are its share). The
/// first signal starts from an estimate of the client's recent attempts (its retry budget's count). Only an attempt
/// sent after the last decrease can lower it again, so the answers to requests already on the wire when the rate fell
/// count once, not once each; one with nothing admitted since the last decrease (a spent window) lowers it by β² and
/// keeps the rate to come back to. A probe past the plateau refused within 10 % of the rate the last decrease came from
/// met the same limit: it goes back just under it (<see cref="PlateauShare"/>), and the next probe waits longer. A
/// refusal on the way back up (once the rate climbed <see cref="ClimbedShare"/>, 5 %, from its cut), below the rate the
/// last decrease came from, moves the rate to come back to halfway down to the new rate (CUBIC's fast convergence); one
/// before that is the tail of the overload that cut it, and moves it not.</item>
/// <item><b>A success raises it along a cubic curve</b> that returns in CUBIC's time (scale <see cref="ScaleConstant"/>
/// 0.4: about 2.5 s at 20 a second), however deep the cuts went, to a plateau a little under the rate that met the
/// limit, stays level there for a hold (none, then <see cref="MinHold"/> and doubling up to <see cref="MaxHold"/> while
/// the limit stays where it was; after a refusal that named a wait, at least five and at most ten times that wait, as
/// every probe costs a refusal and its wait, <see cref="ProbeCostShare"/>), then grows ever faster, so a raised limit
/// is found again. Past the plateau of the first decrease, which came from an estimate of what the client sent and not
/// from a rate that met the limit, it doubles over each second's worth of successes (<see cref="SlowStartGrowth"/>; one
/// success at most doubles it) until a refusal of an attempt the learned rate sent says where the limit is. It never
/// grows past twice the measured send rate unless attempts queue for the bucket, and a success never lowers it.</item>
/// <item><b>A quota the server names sets it directly</b>: <c>remaining / reset</c>, until that window resets; learning
/// resumes from that rate afterwards, along CUBIC's curve (a rate the server named is no estimate to double past). A
/// rate signal or quota of a limit the server names (<see cref="AttemptVerdict.Scope"/>) is that scope's to pause and
/// pace, and teaches the client's rate nothing.</item>
/// <item><b>Bounds</b>: at least <see cref="MinRate"/> (0.5 per second) when learned, at least one per
/// <c>Retry:MaxRetryAfter</c> when a quota names it; at most the configured <c>RateLimit:PermitsPerSecond</c>.</item>
/// <item><b>It stops</b> after <see cref="QuietPeriod"/> (60 s, the longest common rate-limit window) without a rate
/// signal and with no attempt waiting, so a client that no longer meets a limit pays nothing again: at that moment (a
/// timer set by each signal), not at the client's next request, so that its first attempts after a quiet spell are not
/// paced and the learned-rate gauge and <c>ThrottlingStopped</c> say so when it happens.</item>
/// </list>
/// <para>Lifetime: one named client (<see cref="ClientRuntime"/>), across pipeline rebuilds.</para>
/// </remarks>
internal sealed class RateLearner : ISharedLearner, IDisposable
{
    public const double MinRate = 0.5;
    public const double Beta = 0.7;
    public const double ScaleConstant = 0.4;
    public const double MaxMeasuredScale = 2;

    /// <summary>The share of the rate that met the limit the curve levels off at: that rate was too fast by definition.</summary>
    public const double PlateauShare = 0.95;

    /// <summary>Two decreases from rates this close (a share of the earlier one) met the same limit.</summary>
    public const double SameLimit = 0.1;

    /// <summary>How far the rate climbs from its cut before a refusal says the limit is lower: one before it is the tail
    /// of the overload that cut it.</summary>
    public const double ClimbedShare = 0.05;

    /// <summary>How many times over the rate grows over a second's worth of successes past the plateau of the first
    /// decrease, until a refusal of an attempt the learned rate sent says where the limit is: the first decrease starts
    /// from an estimate of the client's rate, not from a rate that met the limit.</summary>
    public const double SlowStartGrowth = 2;

    /// <summary>The longest the curve stays level before it probes past the rate that met the limit.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(4);

    /// <summary>How many times the wait a refusal named the curve stays level at most before it probes again.</summary>
    public const double ProbeCostShare = 10;

    /// <summary>The first hold, once a decrease came from about the rate of the one before.</summary>
    public static readonly TimeSpan MinHold = TimeSpan.FromSeconds(2);

    /// <summary>The flag in <see cref="Flags"/> set while the client throttles.</summary>
    public const int EngagedFlag = 1;

    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(60);

    /// <summary>Two shared cuts this close (their times, converted from the shared store's clock, move by a round
    /// trip) are one.</summary>
    public static readonly TimeSpan SameCutTolerance = TimeSpan.FromMilliseconds(50);

    private readonly object _lock = new();
    private readonly TimeProvider _timeProvider;
    private volatile int _flags;
    private ITimer? _quietTimer;
    private volatile Action? _whenQuiet;
    private LearnedRateLimiter? _limiter;
    private ISharedClientState? _shared;
    private RateLimiter? _sharedBucket;
    private SendRate? _sent;
    private double _plateau;
    private double _holdSeconds;
    private bool _admittedSinceDecrease;
    private bool _estimated;
    private double _curveFrom;
    private AdmittedRate? _admitted;
    private long _countedFromUtcTicks;
    private long _engagedUtcTicks;
    private TimeSpan _maxRetryAfter = TimeSpan.FromSeconds(30);
    private double _rate;
    private double _maxRate;
    private double _k;
    private long _curveStartUtcTicks;
    private long _lastDecreaseUtcTicks = long.MinValue;
    private long _adoptedCutUtcTicks = long.MinValue / 2;
    private long _lastOwnDecreaseUtcTicks;

    // The instances a shared learner counted when it started throttling, until its first lease says how many there are.
    private int _startInstances;
    private long _lastCutUtcTicks;
    private long _lastSignalUtcTicks;
    private long _quotaUntilUtcTicks;
    private double _ceiling;
    private double _minQuotaRate = MinRate;

    public RateLearner(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Gets <see cref="EngagedFlag"/>: 0 for a client that does not throttle.</summary>
    public int Flags => _flags;

    /// <summary>Gets a value indicating whether every attempt of the client waits for the learned rate.</summary>
    public bool IsEngaged => (_flags & EngagedFlag) != 0;

    /// <summary>Gets the learned rate per second while the client throttles; <see langword="null"/> otherwise.</summary>
    public double? Rate
    {
        get
        {
            lock (_lock)
            {
                return IsEngaged ? _rate : null;
            }
        }
    }

    /// <summary>Gets the bucket attempts wait for; <see langword="null"/> until the first rate signal.</summary>
    public LearnedRateLimiter? Limiter => Volatile.Read(ref _limiter);

    /// <summary>
    /// Gets the bucket of the learned rate shared with other processes (<see cref="ISharedClientState.LearnedBucket"/>),
    /// which every attempt also waits for once the local bucket let it go; <see langword="null"/> when the client does
    /// not share or does not throttle.
    /// </summary>
    public RateLimiter? SharedBucket
    {
        get
        {
            if (!IsEngaged)
            {
                return null;
            }

            lock (_lock)
            {
                if (_shared is not null && _sharedBucket is null)
                {
                    _sharedBucket = _shared.LearnedBucket(() => Volatile.Read(ref _rate), SinceCut, this);
                }

                return _sharedBucket;
            }
        }
    }

    /// <summary>
    /// Shares the learned rate through <paramref name="shared"/> (none: this process alone). While shared, the send rate
    /// a decrease starts from, and the growth cap, count every process of the key (this process's rate times
    /// <see cref="ISharedClientState.Instances"/>), since the learned rate is the rate of all of them together; so does
    /// the rate the client starts throttling at (this process's recent attempts times the processes).
    /// </summary>
    public void Share(ISharedClientState? shared)
    {
        RateLimiter? retired = null;
        lock (_lock)
        {
            if (!ReferenceEquals(shared, _shared))
            {
                (_shared, retired, _sharedBucket) = (shared, _sharedBucket, null);
            }
        }

        retired?.Dispose();
    }

    /// <summary>
    /// Learns the instance count at a lease: the first lease after the client started throttling corrects the rate it
    /// started from, which counted the instances last known (an instance that joined the key first knew only itself),
    /// in proportion, with the rate that met the limit and the curve, so that the processes together start from their
    /// rate together.
    /// </summary>
    public void Leased(int instances)
    {
        lock (_lock)
        {
            if (!IsEngaged || _startInstances <= 0 || instances <= _startInstances)
            {
                _startInstances = 0;
                return;
            }

            var scale = (double)instances / _startInstances;
            _startInstances = 0;
            (_maxRate, _plateau, _curveFrom) = (_maxRate * scale, _plateau * scale, _curveFrom * scale);
            _k = Math.Cbrt(_maxRate * (1 - Beta) / ScaleConstant);
            SetRateLocked(_rate * scale);
        }
    }

    /// <inheritdoc/>
    public TimeSpan SinceDecrease => TimeSpan.FromTicks(Math.Max(0, _timeProvider.GetUtcNow().UtcTicks - Volatile.Read(ref _lastOwnDecreaseUtcTicks)));

    /// <summary>
    /// Takes the rate of all the processes that share the learned rate (<see cref="ISharedClientState.LearnedBucket"/>:
    /// the rate of the process that lowered it last) as this process's own, so that a process whose own rate lags does
    /// not pace itself below its share, and takes that decrease as its own last one: a refusal of an attempt sent
    /// before this process heard of it (the same burst another process already answered) lowers nothing again. The
    /// owner's growth is the one that raises the shared rate; this process's curve climbs on from the shared rate.
    /// Told only to the processes that are not the owner.
    /// </summary>
    /// <param name="sharedRate">The shared rate, per second.</param>
    /// <param name="sinceCut">How long ago, on the shared store's clock, it was last lowered.</param>
    public void AdoptShared(double sharedRate, TimeSpan sinceCut)
    {
        if (!double.IsFinite(sharedRate) || sharedRate <= 0)
        {
            return;
        }

        lock (_lock)
        {
            if (!IsEngaged)
            {
                return;
            }

            // A cut this process had not heard of: the attempts it sent until now went out at the rate that met the
            // limit, and their refusals are the burst the other process already answered.
            var now = _timeProvider.GetUtcNow().UtcTicks;
            var cutAt = now - Math.Min(Math.Max(sinceCut.Ticks, 0), QuietPeriod.Ticks);
            if (cutAt > _adoptedCutUtcTicks + SameCutTolerance.Ticks)
            {
                _adoptedCutUtcTicks = cutAt;
                _lastDecreaseUtcTicks = Math.Max(_lastDecreaseUtcTicks, now);
            }

            if (Math.Abs(sharedRate - _rate) <= _rate * 0.01)
            {
                return;
            }

            // The curve climbs on from the shared rate, towards this process's own plateau: should the owner go idle,
            // this process takes the rate over from about the rate of all.
            SetRateLocked(sharedRate);
            (_curveFrom, _curveStartUtcTicks) = (_rate, now);
        }
    }

    /// <summary>Sets the bounds from the client's settings: the configured rate (0 for none) is the ceiling, and a
    /// quota-named rate is at least one per <paramref name="maxRetryAfter"/>.</summary>
    public void Configure(double ceiling, TimeSpan maxRetryAfter)
    {
        lock (_lock)
        {
            _ceiling = ceiling;
            _maxRetryAfter = maxRetryAfter;
            _minQuotaRate = maxRetryAfter > TimeSpan.Zero ? Math.Max(1 / maxRetryAfter.TotalSeconds, 0.001) : MinRate;
            if (IsEngaged && _ceiling > 0 && _rate > _ceiling)
            {
                SetRateLocked(_ceiling);
            }
        }
    }

    /// <summary>Sets what is told when the client stops throttling after <see cref="QuietPeriod"/> without a signal
    /// (the log line of the latest pipeline build), whether a request or the quiet timer noticed it.</summary>
    public void WhenQuiet(Action stopped) => _whenQuiet = stopped;

    /// <summary>Stops throttling at once (learning was turned off); attempts already waiting are still served.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _flags = 0;
        }
    }

    /// <summary>Counts an attempt that got its permit at <paramref name="now"/> and returns that moment.</summary>
    public DateTimeOffset Sent(DateTimeOffset now)
    {
        lock (_lock)
        {
            _sent?.Record(now);
        }

        return now;
    }

    /// <summary>Learns from a finished attempt.</summary>
    /// <param name="verdict">The attempt's verdict.</param>
    /// <param name="sentAt">When the attempt got its permit; <see cref="DateTimeOffset.MinValue"/> when it was sent
    /// before the client throttled.</param>
    /// <param name="estimate">The client's recent attempts per second, asked only when the client starts throttling.</param>
    /// <returns>Whether the client started or stopped throttling.</returns>
    public ThrottlingChange Observe(in AttemptVerdict verdict, DateTimeOffset sentAt, Func<double> estimate)
    {
        var signal = RateSignal.IsRateSignal(verdict);
        if (signal && verdict.Scope is not null)
        {
            // A limit the server named (GitHub's search limit) pauses and paces its own scope; the client's rate is
            // the client's, so one exhausted resource does not slow the others.
            return ThrottlingChange.None;
        }

        if (!signal)
        {
            return verdict.IsResponse && !verdict.Rule.IsRetry ? Accepted(verdict, sentAt) : ThrottlingChange.None;
        }

        var now = verdict.ReadAt != default ? verdict.ReadAt : _timeProvider.GetUtcNow();
        lock (_lock)
        {
            _lastSignalUtcTicks = now.UtcTicks;
            _quietTimer ??= _timeProvider.CreateTimer(static learner => ((RateLearner)learner!).Quiet(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _quietTimer.Change(QuietPeriod, Timeout.InfiniteTimeSpan);
            var change = ThrottlingChange.None;
            if (!IsEngaged)
            {
                // The estimate is this process's; a shared learned rate is the rate of every process of the key, so it
                // starts from the estimate times the processes known to share it (one process's estimate alone made
                // the first decrease cut all of them to 0.7 of one process's rate).
                var start = Math.Max(estimate(), MinRate);
                _sent = new SendRate(start, now);
                (_maxRate, _holdSeconds, _admittedSinceDecrease, _estimated) = (0, 0, true, true);
                (_admitted, _countedFromUtcTicks, _engagedUtcTicks) = (new AdmittedRate(), now.UtcTicks, now.UtcTicks);
                _startInstances = _shared is null ? 0 : Math.Max(1, _shared.Instances);
                var total = start * Math.Max(1, _startInstances);
                _rate = _ceiling > 0 ? Math.Min(total, _ceiling) : total;
                _lastDecreaseUtcTicks = long.MinValue;
                _quotaUntilUtcTicks = 0;
                _flags |= EngagedFlag;
                change = ThrottlingChange.Started;
            }

            // What the server admits is judged on the attempts the learned rate sent: the refusals of the burst sent
            // before the client throttled say how many were on the wire, not how fast the server admits.
            if (sentAt != DateTimeOffset.MinValue)
            {
                _admitted!.Record(now, admitted: false);
            }

            var wait = PauseOf(verdict);
            if (sentAt.UtcTicks >= _lastDecreaseUtcTicks)
            {
                DecreaseLocked(now, wait);
            }

            PausedLocked(wait, now);

            LearnQuotaLocked(verdict, now);
            return change;
        }
    }

    public void Dispose()
    {
        Volatile.Read(ref _limiter)?.Dispose();
        lock (_lock)
        {
            _quietTimer?.Dispose();
            _sharedBucket?.Dispose();
            _sharedBucket = null;
        }
    }

    // The quiet period since the last signal ended: stop throttling unless attempts still wait for the bucket (then look
    // again in a second; a success with none waiting also stops it).
    private void Quiet()
    {
        lock (_lock)
        {
            if (!IsEngaged)
            {
                return;
            }

            var quietFor = _timeProvider.GetUtcNow().UtcTicks - _lastSignalUtcTicks;
            if (quietFor < QuietPeriod.Ticks || _limiter is { Waiting: > 0 })
            {
                _quietTimer?.Change(quietFor < QuietPeriod.Ticks ? TimeSpan.FromTicks(QuietPeriod.Ticks - quietFor) : TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
                return;
            }

            _flags &= ~EngagedFlag;
        }

        _whenQuiet?.Invoke();
    }

    // How long ago the rate was last lowered or set by a quota; the shared bucket's owner rule compares it across processes.
    private TimeSpan SinceCut() => TimeSpan.FromTicks(Math.Max(0, _timeProvider.GetUtcNow().UtcTicks - Volatile.Read(ref _lastCutUtcTicks)));

    // What the client sends at: this process's measured rate, times the processes that share the learned rate.
    private double SentPerSecondLocked() => _sent!.PerSecond * Math.Max(1, _shared?.Instances ?? 1);

    // CUBIC's multiplicative decrease, from the rate the client was actually sending at, as the AWS SDKs do. The rate
    // that met the limit is remembered, and the curve comes back a little under it (the plateau: that rate was too
    // fast by definition) in CUBIC's time for that rate (about 2.5 s at 20 a second), however deep the cuts went: a
    // decrease that follows another with no attempt admitted in between (a window still spent from a burst) lowers the
    // rate again, so that the refusals stop, but not the rate to come back to. When two decreases with admissions
    // between them come from about the same rate, the limit is where it was, and the curve stays level longer (1 s,
    // then twice as long each time, at most MaxHold) before it probes past it, since each probe costs a refusal.
    private void DecreaseLocked(DateTimeOffset now, TimeSpan wait)
    {
        // While attempts queue for the bucket the client sends at the rate itself; the smoothed count lags a ramp. So
        // do the processes that share the learned rate while this one's attempts queue for their one bucket: its own
        // count times the processes reads a share that is not theirs (an instance winding down sends little).
        var met = _limiter is { Waiting: > 0 } || _sharedBucket?.GetStatistics() is { CurrentQueuedCount: > 0 }
            ? _rate
            : Math.Min(SentPerSecondLocked(), _rate);

        met = AdmittedBoundLocked(met, wait, now);

        // A decrease with nothing admitted since the last one: the limit is still spent (a window a burst used up), so
        // the rate falls faster (β², 0.49) to send fewer attempts into it; the rate to come back to stays.
        var cut = Beta * Beta;
        if (_admittedSinceDecrease || _maxRate <= 0)
        {
            // A probe past the plateau that met the limit where it was (within 10 % of the rate the last decrease came
            // from) goes back just under it, not CUBIC's 30 % below; a refusal on the way back up says the plateau was
            // too high, and gets CUBIC's cut.
            var probing = now.UtcTicks - _curveStartUtcTicks >= _k * TimeSpan.TicksPerSecond;
            var same = probing && _maxRate > 0 && Math.Abs(met - _maxRate) <= SameLimit * _maxRate;
            // A probe costs a refusal, and a refusal that names a wait also costs that wait for every request: the
            // curve stays level long enough that probing costs at most a tenth of the time. Not after the first
            // decrease, which starts from an estimate of the client's rate, not from a rate that met the limit.
            var pause = wait.TotalSeconds;
            var minHold = Math.Max(MinHold.TotalSeconds, ProbeCostShare * pause / 2);
            var maxHold = Math.Max(MaxHold.TotalSeconds, ProbeCostShare * pause);
            _holdSeconds = same ? Math.Min(Math.Max(minHold, 2 * _holdSeconds), maxHold) : pause > 0 && _maxRate > 0 ? minHold : 0;

            // CUBIC's fast convergence (RFC 9438, section 4.7): a refusal at a rate below the one the last decrease
            // came from says the limit is lower than that plateau assumed (a window that admits a burst over its rate,
            // a limit that fell), so the rate to come back to is set halfway between the rate now and the cut, and the
            // next climb levels off under the limit instead of meeting it again.
            // Not before the rate climbed from its last cut: a refusal then is the tail of the overload that cut it
            // (attempts other processes sent at the old rate, permits they leased before it), not a lower limit.
            var climbed = _rate > _curveFrom * (1 + ClimbedShare);
            _estimated &= _maxRate <= 0;
            _maxRate = !same && _maxRate > 0 && met < _maxRate ? (climbed ? met * (1 + Beta) / 2 : _maxRate) : met;
            _plateau = _maxRate * PlateauShare;
            cut = same ? PlateauShare : Beta;
        }

        _k = Math.Cbrt(_maxRate * (1 - Beta) / ScaleConstant);
        _curveStartUtcTicks = now.UtcTicks;
        _lastDecreaseUtcTicks = now.UtcTicks;
        Volatile.Write(ref _lastOwnDecreaseUtcTicks, now.UtcTicks);
        _admittedSinceDecrease = false;
        Volatile.Write(ref _lastCutUtcTicks, now.UtcTicks);
        SetRateLocked(met * cut);
        _curveFrom = _rate;
    }

    // What the server's answers say about its limit, as a bound on the rate that met it, read by a process that sends
    // alone. Since the client could last send freely (its last pause ended; at most two seconds back) it was admitted
    // N times in a span S:
    // - a refusal that names a wait W within W of the end of a pause: the server admits about N per W (a window of W
    //   that the N spent: ASP.NET Core's fixed window admits its 20, then names its second);
    // - with a quarter or more of the answers in S refused, the client sent well over the limit (the first burst's
    //   rate, a limit that fell), and the limit is near N per S;
    // - otherwise the client was just over the limit, and N per S measures what the client sent before it crossed it,
    //   not the limit: no bound.
    private double AdmittedBoundLocked(double met, TimeSpan wait, DateTimeOffset now)
    {
        // What the server admits is this process's to count only while it sends alone: shared, its admissions are
        // its share, and the processes do not send alike (a pause one of them took alone while Redis was away ends on
        // its own, an instance winding down sends little), so its share times the processes is no count of the limit;
        // read so, one early refusal cut all of them to a few a second.
        if (_shared is { Instances: > 1 })
        {
            return met;
        }

        var (admitted, refused, span) = _admitted!.Since(new DateTimeOffset(_countedFromUtcTicks, TimeSpan.Zero), now);
        if (admitted < AdmittedRate.MinCount)
        {
            return met;
        }

        if (wait > TimeSpan.Zero && _countedFromUtcTicks > _engagedUtcTicks && span <= wait)
        {
            return Math.Min(met, admitted / wait.TotalSeconds);
        }

        return span >= AdmittedRate.MinSpan && refused * 4 >= admitted + refused
            ? Math.Min(met, admitted / span.TotalSeconds)
            : met;
    }

    // A signal that pauses the client (a server wait, a spent quota) holds it until then: that time is neither send
    // time nor a measure of what the server admits.
    private TimeSpan PauseOf(in AttemptVerdict verdict)
    {
        var wait = ServerWaitRule.PausesClient(verdict)
            ? verdict.ServerWait!.Value.Delay
            : verdict is { QuotaRemaining: 0 } && verdict.QuotaResetIn > TimeSpan.Zero ? verdict.QuotaResetIn : TimeSpan.Zero;
        return wait < _maxRetryAfter ? wait : _maxRetryAfter;
    }

    private void PausedLocked(TimeSpan wait, DateTimeOffset now)
    {
        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        var until = now + wait + ServerWaitSpread.Padding;
        _sent!.Paused(now, until);
        _countedFromUtcTicks = Math.Max(_countedFromUtcTicks, until.UtcTicks);
    }

    private ThrottlingChange Accepted(in AttemptVerdict verdict, DateTimeOffset sentAt)
    {
        var flags = _flags;
        if (flags == 0)
        {
            return ThrottlingChange.None;
        }

        var now = verdict.ReadAt != default ? verdict.ReadAt : _timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (!IsEngaged)
            {
                return ThrottlingChange.None;
            }

            if (now.UtcTicks - _lastSignalUtcTicks >= QuietPeriod.Ticks && _limiter!.Waiting == 0)
            {
                _flags &= ~EngagedFlag;
                return ThrottlingChange.Stopped;
            }

            _admitted!.Record(now);
            if (sentAt.UtcTicks >= _lastDecreaseUtcTicks)
            {
                _admittedSinceDecrease = true;
            }

            if (LearnQuotaLocked(verdict, now) || now.UtcTicks < _quotaUntilUtcTicks)
            {
                return ThrottlingChange.None;
            }

            // CUBIC's growth since the last decrease, level at the plateau for the hold, never below the rate now, and
            // never past twice what the client sends unless attempts queue for the bucket (then the bucket, not the
            // client, decides what it sends).
            var seconds = (double)(now.UtcTicks - _curveStartUtcTicks) / TimeSpan.TicksPerSecond;
            var cubic = seconds < _k
                ? _plateau - ((_plateau - _curveFrom) * Math.Pow(1 - (seconds / _k), 3))
                : _plateau + (ScaleConstant * Math.Pow(Math.Max(0, seconds - _k - _holdSeconds), 3));
            // Past the plateau of a first cut, which came from an estimate, each success raises the rate by a share
            // that doubles it over a second's worth of successes at that rate: growth the answers clock, so a client the
            // server stalled (a spent window, a pause) does not come out of it at a rate grown meanwhile. Below one a
            // second, one success stands for more than a second: it doubles the rate at most.
            if (_estimated && seconds > _k && _rate >= _plateau)
            {
                cubic = Math.Max(cubic, _rate * Math.Pow(SlowStartGrowth, Math.Min(1, 1 / _rate)));
            }

            if (cubic > _rate)
            {
                SetRateLocked(_limiter!.Waiting > 0 ? cubic : Math.Min(cubic, Math.Max(_rate, MaxMeasuredScale * SentPerSecondLocked())));
            }

            return ThrottlingChange.None;
        }
    }

    // A quota the server names (remaining requests until a reset) is the rate itself, until the reset.
    private bool LearnQuotaLocked(in AttemptVerdict verdict, DateTimeOffset now)
    {
        if (verdict is not { QuotaRemaining: > 0 and long remaining, Scope: null } || verdict.QuotaResetIn <= TimeSpan.Zero)
        {
            return false;
        }

        var rate = Math.Max(remaining / verdict.QuotaResetIn.TotalSeconds, _minQuotaRate);
        _quotaUntilUtcTicks = UtcTicks.After(now, verdict.QuotaResetIn);
        Volatile.Write(ref _lastCutUtcTicks, now.UtcTicks);
        SetRateLocked(rate, floor: _minQuotaRate);

        // After the window, the curve starts at the quota's rate and probes upwards from it along CUBIC's curve: the
        // server named that rate, so it is no estimate to double past.
        (_maxRate, _plateau, _curveFrom, _k, _holdSeconds, _curveStartUtcTicks) = (_rate, _rate, _rate, 0, 0, _quotaUntilUtcTicks);
        _estimated = false;
        return true;
    }

    private void SetRateLocked(double rate, double floor = MinRate)
    {
        rate = Math.Max(rate, floor);
        if (_ceiling > 0)
        {
            rate = Math.Min(rate, _ceiling);
        }

        _rate = rate;
        if (_limiter is null)
        {
            Volatile.Write(ref _limiter, new LearnedRateLimiter(_timeProvider, rate));
        }
        else if (Math.Abs(_limiter.PermitsPerSecond - rate) > rate * 0.01)
        {
            _limiter.SetRate(rate);
        }
    }
}
