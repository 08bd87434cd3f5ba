using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Simulation.Report;

/// <summary>Everything one run measured, with the settings and the machine it ran on.</summary>
public sealed record SimulationReport(
    bool Quick,
    ContentionSettings Contention,
    IReadOnlyList<ContentionResult> ContentionResults,
    AmplificationSettings Amplification,
    IReadOnlyList<AmplificationResult> AmplificationResults,
    MachineInfo Machine);
