namespace ResiliencePresets;

/// <summary>
/// How often and how long a preset retries. Configuration section: <c>Retry</c>.
/// </summary>
public sealed class ResiliencePresetRetryOptions
{
    /// <summary>
    /// Gets or sets the most retries after the first attempt; 0 turns retries off. Valid: 0 to 10.
    /// </summary>
    /// <remarks>
    /// Once the client paces itself to a learned rate (<c>RateLimit:Adaptive</c>), a retry of a rate signal (a 429, or a
    /// 503 with a wait or quota header) waits for that rate and does not count here: <c>TotalTimeout</c> bounds it, and
    /// at most 20 such retries are made for one request.
    /// </remarks>
    /// <value>Default: 4 (ReadOnlyApi), 2 (IdempotentWrite), 3 (PaymentWithIdempotencyKey).</value>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>
    /// Gets or sets the base of the exponential backoff: retry N waits a random time between zero and
    /// <c>BaseDelay × 2^(N-1)</c>, capped at <see cref="MaxDelay"/> ("full jitter"). Valid: 00:00:00 to 01:00:00, and at most
    /// <see cref="MaxDelay"/>.
    /// </summary>
    /// <value>Default: 00:00:01 (ReadOnlyApi, IdempotentWrite), 00:00:02 (PaymentWithIdempotencyKey).</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the longest backoff between two attempts. Valid: 00:00:00 to 01:00:00, and at least
    /// <see cref="BaseDelay"/>.
    /// </summary>
    /// <value>Default: 00:00:30 (ReadOnlyApi, PaymentWithIdempotencyKey), 00:00:15 (IdempotentWrite).</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest wait a server may ask for (<c>Retry-After</c> and its vendor forms) and still be retried.
    /// When the server asks for longer, or for longer than what is left of the total timeout, the response goes back to
    /// the caller at once. Valid: 00:00:00 to 1.00:00:00.
    /// </summary>
    /// <value>Default: 00:00:30.</value>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
