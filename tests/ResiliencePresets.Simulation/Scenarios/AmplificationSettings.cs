namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>The amplification scenario's timeline and the load offered to A (open loop, evenly spaced).</summary>
public sealed record AmplificationSettings
{
    public double OfferedRate { get; init; } = 40;

    /// <summary>Gets the healthy time before C fails: the default retry budget window, so the budget has a full history.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Failing { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Recovery { get; init; } = TimeSpan.FromSeconds(3);
}
