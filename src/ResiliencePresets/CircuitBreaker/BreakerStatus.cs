using Polly.CircuitBreaker;

namespace ResiliencePresets;

/// <summary>
/// The state of the circuit breaker in one build of a client's pipeline, for health checks and gauges. Each build gets
/// its own (Polly attaches a state provider to one breaker only); the client keeps the one of its live pipeline.
/// </summary>
internal sealed class BreakerStatus
{
    private long _openUntilUtcTicks;

    /// <summary>Gets the provider given to the breaker of this build.</summary>
    public CircuitBreakerStateProvider Provider { get; } = new();

    /// <summary>Records that the breaker opened, and until when it refuses requests.</summary>
    public void Opened(DateTimeOffset until) => Volatile.Write(ref _openUntilUtcTicks, until.UtcTicks);

    /// <summary>
    /// Reads the breaker as a request sent now would find it. Polly leaves an open breaker open until the next request
    /// arrives after the break; that request is let through as the probe, so such a breaker reads half-open.
    /// </summary>
    public (CircuitState State, DateTimeOffset? OpenUntil) Read(DateTimeOffset now)
    {
        var state = Provider.CircuitState;
        if (state != CircuitState.Open)
        {
            return (state, null);
        }

        var until = Volatile.Read(ref _openUntilUtcTicks);
        return until > now.UtcTicks
            ? (CircuitState.Open, new DateTimeOffset(until, TimeSpan.Zero))
            : (CircuitState.HalfOpen, null);
    }
}
