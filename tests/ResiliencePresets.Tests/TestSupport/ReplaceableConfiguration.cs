using Microsoft.Extensions.Configuration;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A configuration whose whole content a test replaces and reloads, as an edited appsettings.json is: keys that the new
/// JSON lacks are gone, not merely set to null.
/// </summary>
public sealed class ReplaceableConfiguration : ConfigurationProvider, IConfigurationSource
{
    public ReplaceableConfiguration(string json) => Data = Read(json);

    public static (IConfigurationRoot Root, ReplaceableConfiguration Source) Create(string json)
    {
        var source = new ReplaceableConfiguration(json);
        return (new ConfigurationBuilder().Add(source).Build(), source);
    }

    /// <summary>Replaces the content with <paramref name="json"/> and signals a reload.</summary>
    public void Replace(string json)
    {
        Data = Read(json);
        OnReload();
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    private static Dictionary<string, string?> Read(string json)
        => new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build()
            .AsEnumerable().Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase);
}
