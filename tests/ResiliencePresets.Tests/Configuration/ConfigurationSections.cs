using Microsoft.Extensions.Configuration;

namespace ResiliencePresets.Tests.Configuration;

/// <summary>
/// Builds the <c>ResiliencePresets</c> section from flat keys, as appsettings.json, environment variables or the command line produce them.
/// </summary>
internal static class ConfigurationSections
{
    public const string Root = "ResiliencePresets";

    public static IConfigurationSection Build(params (string Key, string? Value)[] settings)
        => new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>($"{Root}:{s.Key}", s.Value)))
            .Build()
            .GetSection(Root);
}
