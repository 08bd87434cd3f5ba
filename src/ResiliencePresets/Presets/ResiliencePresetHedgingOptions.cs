namespace ResiliencePresets;

/// <summary>
/// Hedged reads: when an attempt is slow, a second copy of the request is sent and the first answer wins, the other is
/// cancelled. Off unless <see cref="Enabled"/>. Configuration section: <c>Hedging</c>.
/// </summary>
/// <remarks>
/// Built on Polly's hedging strategy. Only requests without a body whose method is GET, HEAD, OPTIONS or TRACE, that the
/// preset may retry and that carry no idempotency key are hedged; every other request is sent as it would be without
/// hedging. A hedge is an attempt like any other: it waits out the client's pause and pacing, takes a retry from the
/// retry budget (no budget, no hedge) and is never started while the breaker is open.
/// </remarks>
public sealed class ResiliencePresetHedgingOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether reads are hedged. May not be set together with
    /// <c>Idempotency:AddMissingKey</c> (PaymentWithIdempotencyKey).
    /// </summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>
    /// Gets or sets how long an attempt may run before a hedge is sent: always when <see cref="Percentile"/> is 0, and
    /// otherwise until the client has seen enough attempts to know its latency. Valid: 00:00:00.001 to 01:00:00.
    /// </summary>
    /// <value>Default: 00:00:01.</value>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets the percentile of the client's own observed attempt latency after which a hedge is sent (the "Tail
    /// at Scale" rule: after the 95th percentile, so about 5 % of requests are hedged); 0 uses the fixed
    /// <see cref="Delay"/>. The latency is that of the last 512 first attempts of the client's pipeline, and is used
    /// once 100 have been seen. Valid: 0 (off), or 50 to 99.9.
    /// </summary>
    /// <value>Default: 95.</value>
    public double Percentile { get; set; } = 95;

    /// <summary>
    /// Gets or sets how many hedges one attempt may have besides itself. Valid: 1 to 10.
    /// </summary>
    /// <value>Default: 1.</value>
    public int MaxHedgedAttempts { get; set; } = 1;
}
