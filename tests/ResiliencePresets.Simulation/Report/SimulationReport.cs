using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Simulation.Report;

/// <summary>Everything one run measured, with the settings and the machine it ran on.</summary>
public sealed record SimulationReport(
    bool Quick,
    ContentionSettings Contention,
    IReadOnlyList<ContentionResult> ContentionResults,
    AmplificationSettings Amplification,
    IReadOnlyList<AmplificationResult> AmplificationResults,
    MachineInfo Machine)
{
    /// <summary>Gets the hedging scenario's settings.</summary>
    public HedgingSettings HedgingSettings { get; init; } = new();

    /// <summary>Gets the hedging scenario's results, one per setup.</summary>
    public IReadOnlyList<HedgingResult> Hedging { get; init; } = [];

    /// <summary>Gets the limiter scenarios' results, one per server and setup.</summary>
    public IReadOnlyList<LimiterResult> LimiterResults { get; init; } = [];
}
