namespace ResiliencePresets;

/// <summary>
/// The retry budget of a named client: retries may not exceed a share of the client's recent requests, so that retries
/// never multiply the load on a failing dependency. Configuration section: <c>RetryBudget</c>.
/// </summary>
/// <remarks>
/// Within the last <see cref="Window"/>, a retry is allowed while the client's retries stay below
/// <see cref="MinRetries"/> or below <see cref="MaxRetryRatio"/> × its requests, whichever is more. Over budget, the
/// failure goes back to the caller at once. A retry of a 429 that named its wait (<c>Retry-After</c> or a rate-limit
/// reset) is not counted: the server is metering the client, not failing, and the client already holds every request
/// until the named time.
/// </remarks>
public sealed class ResiliencePresetRetryBudgetOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the budget applies.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets the share of requests that may be retried. Valid: 0 to 10.
    /// </summary>
    /// <value>Default: 0.2.</value>
    public double MaxRetryRatio { get; set; } = 0.2;

    /// <summary>
    /// Gets or sets the retries always allowed within a window, so that a quiet client can still retry. Valid: 0 to 100000.
    /// </summary>
    /// <value>Default: 10.</value>
    public int MinRetries { get; set; } = 10;

    /// <summary>
    /// Gets or sets the window requests and retries are counted in. Valid: 00:00:01 to 01:00:00.
    /// </summary>
    /// <value>Default: 00:00:10.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
