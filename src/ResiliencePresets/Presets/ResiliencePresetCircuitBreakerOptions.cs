namespace ResiliencePresets;

/// <summary>
/// The circuit breaker of a preset, one per named client. Configuration section: <c>CircuitBreaker</c>.
/// </summary>
/// <remarks>
/// The breaker counts transport failures, attempt timeouts and responses the status-code table would retry. A status the
/// table never retries (such as 404) is not a failure, and neither is a rate signal: a 429, a 503 that carries a wait
/// or quota header, or a 503 nginx wrote itself (its <c>limit_req</c> refusal).
/// </remarks>
public sealed class ResiliencePresetCircuitBreakerOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the breaker is on.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets the share of failed attempts within <see cref="SamplingDuration"/> that opens the breaker.
    /// Valid: more than 0, at most 1.
    /// </summary>
    /// <value>Default: 0.5.</value>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>
    /// Gets or sets how many attempts must be seen within <see cref="SamplingDuration"/> before the breaker may open.
    /// Valid: at least 2.
    /// </summary>
    /// <value>Default: 20.</value>
    public int MinimumThroughput { get; set; } = 20;

    /// <summary>
    /// Gets or sets the window in which failures are counted. Valid: 00:00:00.5 to 1.00:00:00.
    /// </summary>
    /// <value>Default: 00:00:30.</value>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long the breaker stays open, failing calls without touching the network.
    /// Valid: 00:00:00.5 to 1.00:00:00.
    /// </summary>
    /// <value>Default: 00:00:05.</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
