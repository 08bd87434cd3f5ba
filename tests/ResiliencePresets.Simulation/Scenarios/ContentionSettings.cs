namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>How hard the contention scenario pushes: closed-loop workers sharing a fixed number of GET requests.</summary>
public sealed record ContentionSettings
{
    public int Requests { get; init; } = 2000;

    public int Workers { get; init; } = 50;

    /// <summary>Gets the server's sustained rate, in requests a second.</summary>
    public double ServerRate { get; init; } = 100;

    /// <summary>Gets the server bucket's size: one second of the rate, so a one-second Retry-After loses no capacity.</summary>
    public double ServerBurst { get; init; } = 100;

    /// <summary>Gets the shortest possible completion time the brief measures against: requests ÷ rate.</summary>
    public TimeSpan Floor => TimeSpan.FromSeconds(Requests / ServerRate);
}
