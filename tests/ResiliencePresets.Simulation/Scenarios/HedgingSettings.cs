namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>The hedging scenario's load: open loop, evenly spaced, a warm-up that is not measured, then the measured requests.</summary>
public sealed record HedgingSettings
{
    public double Rate { get; init; } = 200;

    /// <summary>Gets the requests sent first and not measured: connections open, and an observed-latency delay has its 100 samples.</summary>
    public int WarmUp { get; init; } = 200;

    public int Requests { get; init; } = 3000;
}
