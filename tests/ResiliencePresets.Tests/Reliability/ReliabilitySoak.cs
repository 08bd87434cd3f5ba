namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Soaks run alone, after the parallel tests: their attempt timeouts are short, and a machine busy with other tests
/// would turn healthy requests into timeouts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilitySoak
{
    public const string Name = "Reliability soak";
}
