using Microsoft.Extensions.Configuration;

namespace ResiliencePresets;

/// <summary>
/// Freezes the <c>ResiliencePresets</c> section as it is now, paths included, so that settings resolved from it stay
/// what they were after the live configuration changes: the last good settings are read from such a copy.
/// </summary>
internal static class ConfigurationSnapshot
{
    public static IConfiguration? Freeze(IConfiguration? live)
    {
        if (live is null)
        {
            return null;
        }

        var copy = new ConfigurationBuilder().AddInMemoryCollection(live.AsEnumerable()).Build();
        return live is IConfigurationSection section ? copy.GetSection(section.Path) : copy;
    }
}
