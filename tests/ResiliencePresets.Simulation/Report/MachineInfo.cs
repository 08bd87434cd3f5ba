using System.Runtime.InteropServices;

namespace ResiliencePresets.Simulation.Report;

/// <summary>Where and when the simulation ran.</summary>
public sealed record MachineInfo(int Cores, string OperatingSystem, string Runtime, DateOnly Date)
{
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        DateOnly.FromDateTime(DateTime.UtcNow));
}
