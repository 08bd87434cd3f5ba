namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// How far one client setup has got.
/// </summary>
public sealed record SetupProgress(string Setup, int Completed, int Total, int Attempts);
