using Microsoft.Extensions.Configuration;

namespace ResiliencePresets;

/// <summary>
/// Checks the shape of the <c>ResiliencePresets</c> section above the settings themselves: only <c>Presets</c> and
/// <c>Clients</c> under it, and a section (not a single value) for each of them and for every preset and client, so that
/// a misspelled or misplaced section is an error instead of being ignored.
/// </summary>
internal static class ConfigurationLayout
{
    public const string PresetsKey = "Presets";
    public const string ClientsKey = "Clients";

    /// <summary>The key of a preset's section that names the preset it starts from; configuration only, never an option.</summary>
    public const string BasedOnKey = "BasedOn";

    /// <summary>Returns whether a configuration node is a section of settings rather than a single value.</summary>
    public static bool IsSection(IConfigurationSection section) => section.Value is null;

    /// <summary>Returns a message for every misplaced key or value; empty when the layout is right.</summary>
    public static List<string> Check(IConfiguration? configuration, string rootPath)
    {
        var failures = new List<string>();
        if (configuration is null)
        {
            return failures;
        }

        if (configuration is IConfigurationSection { Value: { } rootValue })
        {
            failures.Add($"{rootPath} is '{rootValue}'; it must be a section with {PresetsKey} and {ClientsKey}, not a single value.");
        }

        foreach (var child in configuration.GetChildren())
        {
            var kind = child.Key.Equals(PresetsKey, StringComparison.OrdinalIgnoreCase) ? "preset"
                : child.Key.Equals(ClientsKey, StringComparison.OrdinalIgnoreCase) ? "client"
                : null;
            if (kind is null)
            {
                failures.Add($"{child.Path} is not a known section; the sections under {rootPath} are {PresetsKey} and {ClientsKey}.");
                continue;
            }

            if (!IsSection(child))
            {
                failures.Add($"{child.Path} is '{child.Value}'; {child.Key} must be a section with one section per {kind}, not a single value.");
                continue;
            }

            foreach (var entry in child.GetChildren().Where(e => !IsSection(e)))
            {
                failures.Add($"{entry.Path} is '{entry.Value}'; a {kind}'s settings must be a section, such as {{ \"Retry\": {{ \"MaxRetryAttempts\": 2 }} }}, not a single value.");
            }
        }

        return failures;
    }
}
