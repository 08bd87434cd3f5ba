namespace ResiliencePresets;

/// <summary>
/// What one named client shares across all its requests and <see cref="HttpClient"/> instances: the server-imposed
/// pauses and quota pacing (one per scope: <see cref="RateScopes"/>), the learned rate, the retry budget and the token bucket. It outlives pipeline rebuilds on reload; the budget
/// and the bucket are replaced only when their own settings change.
/// </summary>
internal sealed class ClientRuntime : IDisposable
{
    private readonly object _lock = new();
    private RetryBudget? _budget;
    private ClientRateLimiter? _limiter;
    private RateLearner? _learner;
    private volatile BreakerStatus? _breaker;
    private volatile RequestPreparation? _preparation;
    private long _totalTimeoutTicks;
    private volatile bool _timeoutSetByCaller;
    private volatile bool _hasSent;

    /// <summary>Gets the client's pauses and pacing, one per authority and per limit a server named.</summary>
    public RateScopes Scopes { get; } = new();

    /// <summary>Gets or sets the state shared with other processes, joined by each pipeline build; none unless Redis is registered.</summary>
    public ISharedClientState? Shared { get; set; }

    /// <summary>Gets or sets the breaker of the client's live pipeline: each build sets its own, or none without a breaker.</summary>
    public BreakerStatus? Breaker { get => _breaker; set => _breaker = value; }

    /// <summary>Gets or sets what prepares each request of the client's live pipeline: each build sets its own.</summary>
    public RequestPreparation? Preparation { get => _preparation; set => _preparation = value; }

    /// <summary>Gets or sets the <c>TotalTimeout</c> of the client's live pipeline: each build sets its own.</summary>
    public TimeSpan TotalTimeout { get => TimeSpan.FromTicks(Volatile.Read(ref _totalTimeoutTicks)); set => Volatile.Write(ref _totalTimeoutTicks, value.Ticks); }

    /// <summary>Gets or sets whether the caller set the client's <see cref="HttpClient.Timeout"/>, which then bounds its
    /// response bodies instead of the preset (<see cref="HttpClientTimeoutRule"/>).</summary>
    public bool TimeoutSetByCaller { get => _timeoutSetByCaller; set => _timeoutSetByCaller = value; }

    /// <summary>Gets a value indicating whether a request has been sent through the client's preset: an
    /// <see cref="HttpClient"/> created and not used yet is not reported by the health check or the gauges.</summary>
    public bool HasSent => _hasSent;

    /// <summary>Records that a request is being sent; a read, and one write per client's lifetime.</summary>
    public void MarkSent()
    {
        if (!_hasSent)
        {
            _hasSent = true;
        }
    }

    /// <summary>Gets the client's rate learner, once a pipeline with learning on was built; it may be stopped since.</summary>
    public RateLearner? Learner => Volatile.Read(ref _learner);

    /// <summary>
    /// Returns the client's rate learner, bounded by the preset's settings; <see langword="null"/> when learning is off
    /// (<c>RateLimit:Adaptive</c>), which also stops a learner a previous build used. One learner lives as long as the
    /// client, so a reload keeps what it learned.
    /// </summary>
    public RateLearner? LearnerFor(CompiledPreset preset, TimeProvider timeProvider)
    {
        lock (_lock)
        {
            if (!preset.Adaptive)
            {
                _learner?.Stop();
                return null;
            }

            if (_learner is null)
            {
                Volatile.Write(ref _learner, new RateLearner(timeProvider));
            }

            _learner!.Configure(preset.PermitsPerSecond, preset.MaxRetryAfter);
            _learner.Share(Shared);
            return _learner;
        }
    }

    /// <summary>Returns the client's recent attempts per second, from its retry budget's count; 0 without a budget.</summary>
    public double RecentAttemptsPerSecond() => Volatile.Read(ref _budget)?.AttemptsPerSecond() ?? 0;

    public RetryBudget? Budget(CompiledPreset preset, TimeProvider timeProvider)
    {
        if (!preset.RetryBudgetEnabled)
        {
            return null;
        }

        lock (_lock)
        {
            if (_budget is not { } budget || budget.MaxRetryRatio != preset.MaxRetryRatio || budget.MinRetries != preset.MinRetries || budget.Window != preset.RetryBudgetWindow)
            {
                Volatile.Write(ref _budget, new RetryBudget(preset.MaxRetryRatio, preset.MinRetries, preset.RetryBudgetWindow, timeProvider));
            }

            return _budget;
        }
    }

    /// <summary>
    /// Returns the client's token bucket for the preset's rate, retained once for the pipeline that asks (release it
    /// when that pipeline is disposed); <see langword="null"/> when the preset sets no rate. A bucket whose settings
    /// changed is retired and lives on until its last holder releases it.
    /// </summary>
    public ClientRateLimiter? Limiter(CompiledPreset preset)
    {
        if (preset.PermitsPerSecond <= 0)
        {
            return null;
        }

        lock (_lock)
        {
            var settings = (preset.PermitsPerSecond, preset.Burst, preset.QueueLimit);
            var shared = Shared;
            if (_limiter is null || _limiter.Settings != settings || _limiter.Shared != shared)
            {
                _limiter?.Retire();
                _limiter = new ClientRateLimiter(preset.PermitsPerSecond, preset.Burst, preset.QueueLimit, shared);
            }

            _limiter.Retain();
            return _limiter;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _limiter?.Retire();
            _learner?.Dispose();
            foreach (var scope in Scopes.All)
            {
                scope.Pacer.Dispose();
            }
        }
    }
}
