using Microsoft.Extensions.Configuration;

namespace ResiliencePresets;

/// <summary>
/// How a client section in the configuration is matched to an <see cref="HttpClient"/> name: ignoring case, as .NET
/// configuration matches every key, and the same way wherever a section is looked up or checked. A name with <c>:</c>
/// (<c>api:v2</c>) is a path in configuration, as every key with <c>:</c> is: the section <c>v2</c> under <c>api</c>.
/// </summary>
internal static class ClientNames
{
    public static bool Match(string clientName, string sectionKey) => string.Equals(clientName, sectionKey, StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns the section of a client whose name is a path, such as <c>api:v2</c>; <see langword="null"/> for other names.</summary>
    public static IConfigurationSection? NestedSection(IConfigurationSection clients, string clientName)
        => clientName.Contains(ConfigurationPath.KeyDelimiter, StringComparison.Ordinal) &&
           clients.GetSection(clientName) is { Value: null } section && section.GetChildren().Any()
            ? section
            : null;

    /// <summary>
    /// Returns the sections among <paramref name="sections"/> that are no client's: neither a client's own section nor a
    /// section on the path to one (<c>api</c> for <c>api:v2</c>), whose sections are checked in turn.
    /// </summary>
    public static IEnumerable<IConfigurationSection> Unmatched(IEnumerable<IConfigurationSection> sections, IReadOnlyCollection<string> clientNames)
    {
        foreach (var section in sections)
        {
            if (clientNames.Any(name => Match(name, section.Key)))
            {
                continue;
            }

            var prefix = section.Key + ConfigurationPath.KeyDelimiter;
            var rest = clientNames.Where(name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Select(name => name[prefix.Length..]).ToList();
            foreach (var unmatched in rest.Count == 0 ? [section] : Unmatched(section.GetChildren(), rest))
            {
                yield return unmatched;
            }
        }
    }
}
