using Microsoft.Extensions.Configuration;
using ResiliencePresets.Demo.Server;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// What the demo's workload sends, how fast, and against which server timings.
/// </summary>
public sealed record WorkloadSettings
{
    /// <summary>Gets the configuration root; its <c>ResiliencePresets</c> section configures the presets.</summary>
    public required IConfiguration Configuration { get; init; }

    /// <summary>Gets how many logical requests each client setup sends.</summary>
    public int RequestsPerSetup { get; init; } = 100;

    /// <summary>Gets the seed of the request mix and of the server's faults.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the time between two requests' starts; requests start on schedule, whether or not earlier ones finished.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Gets the server's waits and quotas.</summary>
    public ServerTiming Server { get; init; } = new();

    /// <summary>Gets the names of the setups to run; <see langword="null"/> runs them all.</summary>
    public IReadOnlyCollection<string>? Setups { get; init; }
}
