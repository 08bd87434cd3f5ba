namespace ResiliencePresets;

/// <summary>
/// The client's sending rate: a rate learned from its server's rate signals (<see cref="Adaptive"/>, on by default), and
/// a known rate, a token bucket that every request and retry of that client passes through, off unless
/// <see cref="PermitsPerSecond"/> or <see cref="PermitsPerMinute"/> is set. Configuration section: <c>RateLimit</c>.
/// </summary>
/// <remarks>
/// Built on System.Threading.RateLimiting's <c>TokenBucketRateLimiter</c> through Polly's rate limiter strategy. A request
/// that finds the queue full fails with Polly's <c>RateLimiterRejectedException</c>, whose <c>RetryAfter</c> says when a
/// permit is expected.
/// </remarks>
public sealed class ResiliencePresetRateLimitOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the client learns its server's rate: after the first rate signal (a 429,
    /// a 503 with a wait or quota header, or a 503 nginx wrote itself, <c>503 Service Temporarily Unavailable</c>), every
    /// attempt of the client waits for a token bucket whose rate is learned from the server's replies.
    /// <see langword="false"/> keeps the client unpaced until a configured rate or a server's wait holds it. Either way a
    /// rate signal is never a circuit-breaker failure, and any other bare 503 always is. On in every preset.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool Adaptive { get; set; } = true;

    /// <summary>
    /// Gets or sets the sustained rate in permits per second; 0 means not set. Set this or <see cref="PermitsPerMinute"/>,
    /// not both. When set, it is also the ceiling of the learned rate. Valid: 0 (off), or 0.001 to 100000.
    /// </summary>
    /// <value>Default: 0.</value>
    public double PermitsPerSecond { get; set; }

    /// <summary>
    /// Gets or sets the sustained rate in permits per minute; 0 means not set. Valid: 0 (off), or 0.06 to 6000000.
    /// </summary>
    /// <value>Default: 0.</value>
    public double PermitsPerMinute { get; set; }

    /// <summary>
    /// Gets or sets how many requests may start at once after a quiet period (the bucket's size); 0 means the permits of
    /// one replenishment tick (at most a twentieth of a second's worth, and at least 1). Valid: 0 to 100000.
    /// </summary>
    /// <value>Default: 0.</value>
    public int Burst { get; set; }

    /// <summary>
    /// Gets or sets how many requests may wait for a permit; one more is rejected at once. Valid: 0 to 100000.
    /// </summary>
    /// <value>Default: 1000.</value>
    public int QueueLimit { get; set; } = 1000;
}
