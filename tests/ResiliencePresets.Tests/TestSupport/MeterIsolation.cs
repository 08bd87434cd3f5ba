namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// Tests that read the library's meters through an OpenTelemetry MeterProvider run alone: the SDK listens to every
/// meter of a name, in every service provider of the process, and merges instruments of the same name into one stream.
/// Another test's service provider, disposed in parallel, then deactivates that shared stream, and the next export
/// has no points for it. One application has one service provider, so this is a property of a test process only.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeterIsolation
{
    public const string Name = "Meter isolation";
}
