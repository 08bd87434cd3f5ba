using Microsoft.Extensions.Configuration;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// Loads the demo's appsettings.json from beside the executable, with optional overrides on top.
/// </summary>
public static class DemoConfiguration
{
    public const string SectionName = "ResiliencePresets";

    public static IConfigurationRoot Load(IEnumerable<KeyValuePair<string, string?>>? overrides = null)
        => new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: false)
            .AddInMemoryCollection(overrides ?? [])
            .Build();
}
