namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// The stale-if-error scenario: <see cref="Users"/> callers, each with its own bearer token, fetch
/// <see cref="ItemsPerUser"/> URLs each once; then the API is down (503) for <see cref="Outage"/> while
/// <see cref="Workers"/> workers keep requesting those URLs, each as a random user.
/// </summary>
public sealed record StaleOutageSettings
{
    public int Users { get; init; } = 20;

    public int ItemsPerUser { get; init; } = 10;

    public int Workers { get; init; } = 8;

    public TimeSpan Outage { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the pause of each worker between two requests, so that the outage sees a steady load.</summary>
    public TimeSpan Think { get; init; } = TimeSpan.FromMilliseconds(20);
}
