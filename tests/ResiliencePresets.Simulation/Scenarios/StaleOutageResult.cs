namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// What one setup saw during the outage: requests made, answered stale, failed, answered with another caller's body
/// (must be 0), the oldest stale answer's <c>Age</c>, and what reached the server.
/// </summary>
public sealed record StaleOutageResult(string Setup, string StaleIfError, int Requests, int Stale, int Failed, int CrossUser, int MaxAgeSeconds, int ServerRequests)
{
    public double StaleShare => Requests == 0 ? 0 : (double)Stale / Requests;
}
