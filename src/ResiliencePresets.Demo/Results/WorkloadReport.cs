namespace ResiliencePresets.Demo.Results;

/// <summary>
/// Everything one run of the demo measured.
/// </summary>
public sealed record WorkloadReport(int Seed, int RequestsPerSetup, TimeSpan Elapsed, IReadOnlyList<SetupResult> Setups);
