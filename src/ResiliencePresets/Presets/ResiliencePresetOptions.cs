namespace ResiliencePresets;

/// <summary>
/// Everything a preset decides: which methods and status codes are retried, how long to wait, timeouts, the circuit
/// breaker and the idempotency key. Configuration: <c>ResiliencePresets:Presets:&lt;preset&gt;</c> and
/// <c>ResiliencePresets:Clients:&lt;HttpClient name&gt;</c>.
/// </summary>
/// <remarks>
/// <para>
/// <c>AddResiliencePreset(name, configure)</c> hands <c>configure</c> the preset's options with the built-in defaults and
/// configuration already applied; code overrides go on top, and the result is validated before the first request. A new
/// instance is not a preset: it holds the ReadOnlyApi value of every setting but <see cref="Methods"/>, which is empty,
/// so it retries no request.
/// </para>
/// <para>
/// <c>BasedOn</c>, which names the preset a configured preset starts from, is a configuration key only; in code the
/// preset is the name given to <c>AddResiliencePreset</c>.
/// </para>
/// </remarks>
public sealed class ResiliencePresetOptions
{
    /// <summary>
    /// Gets the retry settings.
    /// </summary>
    public ResiliencePresetRetryOptions Retry { get; } = new();

    /// <summary>
    /// Gets the preset's changes to the status-code table (<see cref="StatusCodeClassifier.DefaultRules"/>), keyed by
    /// status code (100 to 599).
    /// </summary>
    /// <value>Default: empty; PaymentWithIdempotencyKey sets 409 to <see cref="StatusCodeRule.Retry"/>.</value>
    public IDictionary<int, StatusCodeRule> StatusCodes { get; } = new Dictionary<int, StatusCodeRule>();

    /// <summary>
    /// Gets the rule per HTTP method (keys ignore case). A method not listed is never retried.
    /// </summary>
    /// <value>Default: GET, HEAD, OPTIONS and TRACE <see cref="MethodRetryRule.Retry"/> (ReadOnlyApi); IdempotentWrite and
    /// PaymentWithIdempotencyKey add PUT and DELETE <see cref="MethodRetryRule.Retry"/>, POST and PATCH
    /// <see cref="MethodRetryRule.WithIdempotencyKey"/>.</value>
    public IDictionary<string, MethodRetryRule> Methods { get; } = new Dictionary<string, MethodRetryRule>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets or sets the timeout of one attempt. A timed-out attempt is retried under the method rules.
    /// Valid: 00:00:00.01 to 1.00:00:00, and at most <see cref="TotalTimeout"/>.
    /// </summary>
    /// <value>Default: 00:00:10 (ReadOnlyApi, IdempotentWrite), 00:00:30 (PaymentWithIdempotencyKey).</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the timeout of the whole request, all attempts and waits included. Valid: 00:00:00.01 to 1.00:00:00, and at
    /// least <see cref="AttemptTimeout"/>.
    /// </summary>
    /// <value>Default: 00:01:00 (ReadOnlyApi, IdempotentWrite), 00:02:00 (PaymentWithIdempotencyKey).</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Gets the circuit breaker settings.
    /// </summary>
    public ResiliencePresetCircuitBreakerOptions CircuitBreaker { get; } = new();

    /// <summary>
    /// Gets the idempotency key settings.
    /// </summary>
    public IdempotencyKeyOptions Idempotency { get; } = new();

    /// <summary>
    /// Gets the retry budget of the client: retries as a share of its recent requests.
    /// </summary>
    public ResiliencePresetRetryBudgetOptions RetryBudget { get; } = new();

    /// <summary>
    /// Gets the client's proactive throttling; off unless a rate is set.
    /// </summary>
    public ResiliencePresetRateLimitOptions RateLimit { get; } = new();

    /// <summary>
    /// Gets the stale-if-error settings: answering a failed GET or HEAD with the last good response; off unless
    /// <see cref="ResiliencePresetFallbackOptions.StaleIfError"/> is set.
    /// </summary>
    public ResiliencePresetFallbackOptions Fallback { get; } = new();

    /// <summary>
    /// Gets the client's hedged reads; off by default.
    /// </summary>
    public ResiliencePresetHedgingOptions Hedging { get; } = new();

    /// <summary>
    /// Gets what the client shares with other processes through Redis; inert without the ResiliencePresets.Redis package.
    /// </summary>
    public ResiliencePresetSharedOptions Shared { get; } = new();
}
