namespace ResiliencePresets;

/// <summary>
/// A validated preset for one named client, frozen into the form the pipeline reads on every request, with its
/// effective settings written as text to tell whether a configuration reload changed anything the client runs with.
/// </summary>
internal sealed class CompiledPreset
{
    public CompiledPreset(string presetName, string clientName, ResiliencePresetOptions options)
    {
        PresetName = presetName;
        ClientName = clientName;
        SettingsText = EffectiveSettings.Describe(presetName, options);
        MaxRetryAttempts = options.Retry.MaxRetryAttempts;
        BaseDelay = options.Retry.BaseDelay;
        MaxDelay = options.Retry.MaxDelay;
        MaxRetryAfter = options.Retry.MaxRetryAfter;
        AttemptTimeout = options.AttemptTimeout;
        TotalTimeout = options.TotalTimeout;
        BreakerEnabled = options.CircuitBreaker.Enabled;
        FailureRatio = options.CircuitBreaker.FailureRatio;
        MinimumThroughput = options.CircuitBreaker.MinimumThroughput;
        SamplingDuration = options.CircuitBreaker.SamplingDuration;
        BreakDuration = options.CircuitBreaker.BreakDuration;
        IdempotencyHeader = options.Idempotency.HeaderName;
        AddMissingIdempotencyKey = options.Idempotency.AddMissingKey;
        RetryBudgetEnabled = options.RetryBudget.Enabled;
        MaxRetryRatio = options.RetryBudget.MaxRetryRatio;
        MinRetries = options.RetryBudget.MinRetries;
        RetryBudgetWindow = options.RetryBudget.Window;
        PermitsPerSecond = options.RateLimit.PermitsPerSecond > 0 ? options.RateLimit.PermitsPerSecond : options.RateLimit.PermitsPerMinute / 60;
        Adaptive = options.RateLimit.Adaptive;
        Burst = options.RateLimit.Burst;
        QueueLimit = options.RateLimit.QueueLimit;
        StaleIfError = options.Fallback.StaleIfError;
        MaxStaleEntries = options.Fallback.MaxEntries;
        MaxStaleBodyBytes = options.Fallback.MaxBodyBytes;
        HedgingEnabled = options.Hedging.Enabled;
        HedgingDelay = options.Hedging.Delay;
        HedgingPercentile = options.Hedging.Percentile;
        MaxHedgedAttempts = options.Hedging.MaxHedgedAttempts;
        SharedEnabled = options.Shared.Enabled;
        SharedKey = options.Shared.Key ?? clientName;
        SharedTimeout = options.Shared.Timeout;
        SharedKeyPrefix = options.Shared.KeyPrefix;
        Classifier = new StatusCodeClassifier(options.StatusCodes);
        Methods = new MethodGate(options.Methods, options.Idempotency.HeaderName);
    }

    public string PresetName { get; }

    public string ClientName { get; }

    /// <summary>Gets the effective settings as text (<see cref="EffectiveSettings"/>): equal text, equal behavior.</summary>
    public string SettingsText { get; }

    public int MaxRetryAttempts { get; }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    public TimeSpan MaxRetryAfter { get; }

    public TimeSpan AttemptTimeout { get; }

    public TimeSpan TotalTimeout { get; }

    public bool BreakerEnabled { get; }

    public double FailureRatio { get; }

    public int MinimumThroughput { get; }

    public TimeSpan SamplingDuration { get; }

    public TimeSpan BreakDuration { get; }

    public string IdempotencyHeader { get; }

    public bool AddMissingIdempotencyKey { get; }

    public bool RetryBudgetEnabled { get; }

    public double MaxRetryRatio { get; }

    public int MinRetries { get; }

    public TimeSpan RetryBudgetWindow { get; }

    /// <summary>Gets the configured rate in permits per second, per-minute rates converted; 0 when throttling is off.</summary>
    public double PermitsPerSecond { get; }

    /// <summary>Gets a value indicating whether the client learns its server's rate (<c>RateLimit:Adaptive</c>).</summary>
    public bool Adaptive { get; }

    public int Burst { get; }

    public int QueueLimit { get; }

    /// <summary>Gets how old a kept response may be to answer a failed request; zero when stale-if-error is off.</summary>
    public TimeSpan StaleIfError { get; }

    public int MaxStaleEntries { get; }

    public int MaxStaleBodyBytes { get; }
    public bool HedgingEnabled { get; }

    public TimeSpan HedgingDelay { get; }

    /// <summary>Gets the latency percentile hedges follow; 0 for the fixed <see cref="HedgingDelay"/>.</summary>
    public double HedgingPercentile { get; }

    public int MaxHedgedAttempts { get; }

    public bool SharedEnabled { get; }

    /// <summary>Gets the name the client shares its state under: <c>Shared:Key</c>, or the client's name.</summary>
    public string SharedKey { get; }

    public TimeSpan SharedTimeout { get; }

    public string SharedKeyPrefix { get; }

    public StatusCodeClassifier Classifier { get; }

    public MethodGate Methods { get; }
}
