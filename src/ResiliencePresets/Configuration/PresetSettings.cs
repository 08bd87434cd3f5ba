namespace ResiliencePresets;

/// <summary>
/// Every setting of a preset and the range of each: the one place the ranges are written down. The validator checks
/// them from here, and tests hold the XML docs, <c>docs/resiliencepresets.schema.json</c>, <c>docs/configuration.md</c>
/// and the README to this table and to the defaults in <see cref="BuiltInPresets"/>. The ranges are also Polly's, so a
/// preset inside them always builds.
/// </summary>
internal static class PresetSettings
{
    // A slower rate would need a refill timer longer than a .NET timer can be set (about 49 days); one permit every
    // 1,000 seconds is far below any API's limit.
    private const double MinPermitsPerSecond = 0.001;
    private const double MaxPermitsPerSecond = 100_000;

    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MinBreakerTime = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets every setting, in the order the options declare them. Settings without a range (switches, the header name,
    /// the status and method tables) are listed too, so that the table names every key a configuration may set.
    /// </summary>
    public static IReadOnlyList<PresetSetting> All { get; } =
    [
        new("Retry:MaxRetryAttempts", SettingRange.Between(0, 10)),
        new("Retry:BaseDelay", SettingRange.Between(TimeSpan.Zero, OneHour)),
        new("Retry:MaxDelay", SettingRange.Between(TimeSpan.Zero, OneHour)),
        new("Retry:MaxRetryAfter", SettingRange.Between(TimeSpan.Zero, OneDay)),
        new("StatusCodes"),
        new("Methods"),
        new("AttemptTimeout", SettingRange.Between(MinTimeout, OneDay)),
        new("TotalTimeout", SettingRange.Between(MinTimeout, OneDay)),
        new("CircuitBreaker:Enabled"),
        new("CircuitBreaker:FailureRatio", SettingRange.AboveAndAtMost(0d, 1d)),
        new("CircuitBreaker:MinimumThroughput", SettingRange.AtLeast(2)),
        new("CircuitBreaker:SamplingDuration", SettingRange.Between(MinBreakerTime, OneDay)),
        new("CircuitBreaker:BreakDuration", SettingRange.Between(MinBreakerTime, OneDay)),
        new("Idempotency:HeaderName"),
        new("Idempotency:AddMissingKey"),
        new("RetryBudget:Enabled"),
        new("RetryBudget:MaxRetryRatio", SettingRange.Between(0d, 10d)),
        new("RetryBudget:MinRetries", SettingRange.Between(0, 100_000)),
        new("RetryBudget:Window", SettingRange.Between(TimeSpan.FromSeconds(1), OneHour)),
        new("RateLimit:Adaptive"),
        new("RateLimit:PermitsPerSecond", SettingRange.OffOrBetween(MinPermitsPerSecond, MaxPermitsPerSecond)),
        new("RateLimit:PermitsPerMinute", SettingRange.OffOrBetween(MinPermitsPerSecond * 60, MaxPermitsPerSecond * 60)),
        new("RateLimit:Burst", SettingRange.Between(0, 100_000)),
        new("RateLimit:QueueLimit", SettingRange.Between(0, 100_000)),
        new("Fallback:StaleIfError", SettingRange.OffOrBetween(TimeSpan.FromSeconds(1), OneDay)),
        new("Fallback:MaxEntries", SettingRange.Between(1, 1_000_000)),
        new("Fallback:MaxBodyBytes", SettingRange.Between(0, 16 * 1024 * 1024)),
        new("Hedging:Enabled"),
        new("Hedging:Delay", SettingRange.Between(TimeSpan.FromMilliseconds(1), OneHour)),
        new("Hedging:Percentile", SettingRange.OffOrBetween(50, 99.9)),
        new("Hedging:MaxHedgedAttempts", SettingRange.Between(1, 10)),
        new("Shared:Enabled"),
        new("Shared:Key"),
        new("Shared:Timeout", SettingRange.Between(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5))),
        new("Shared:KeyPrefix"),
    ];
}
