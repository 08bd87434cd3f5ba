namespace ResiliencePresets;

/// <summary>
/// How a client section in the configuration is matched to an <see cref="HttpClient"/> name: ignoring case, as .NET
/// configuration matches every key, and the same way wherever a section is looked up or checked.
/// </summary>
internal static class ClientNames
{
    public static bool Match(string clientName, string sectionKey) => string.Equals(clientName, sectionKey, StringComparison.OrdinalIgnoreCase);
}
