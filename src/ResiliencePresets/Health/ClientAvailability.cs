using Polly.CircuitBreaker;

namespace ResiliencePresets;

/// <summary>
/// Whether a client lets a request sent now through, or holds it: its breaker is open, or its server paused it. Read in
/// one place for the health check and the gauges, so that both always tell the same story.
/// </summary>
/// <param name="ClientName">The HttpClient's name.</param>
/// <param name="Breaker">The state of the breaker of the client's live pipeline; <see langword="null"/> when the client
/// has no breaker.</param>
/// <param name="BreakerOpenUntil">When the open breaker lets a probe through; set only while it is open.</param>
/// <param name="PausedUntil">When the server's wait is over; set only while the client is paused. Of a client paused in
/// several scopes (one host of several, one limit of a server: <see cref="RateScopes"/>), the latest.</param>
internal readonly record struct ClientAvailability(string ClientName, CircuitState? Breaker, DateTimeOffset? BreakerOpenUntil, DateTimeOffset? PausedUntil)
{
    /// <summary>Gets a value indicating whether a request sent now is refused or held.</summary>
    public bool IsHolding => Breaker is CircuitState.Open or CircuitState.Isolated || PausedUntil is not null;

    public static ClientAvailability Read(string clientName, ClientRuntime client, DateTimeOffset now)
    {
        CircuitState? breaker = null;
        DateTimeOffset? openUntil = null;
        if (client.Breaker is { } status)
        {
            (breaker, openUntil) = status.Read(now);
        }

        var pause = client.Scopes.LongestPause(now);
        return new ClientAvailability(clientName, breaker, openUntil, pause > TimeSpan.Zero ? now + pause : null);
    }

    /// <summary>The state names used in metrics and health data: <c>closed</c>, <c>open</c>, <c>half_open</c>, <c>isolated</c>.</summary>
    public static string StateName(CircuitState state) => state switch
    {
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half_open",
        CircuitState.Isolated => "isolated",
        _ => "closed",
    };
}
