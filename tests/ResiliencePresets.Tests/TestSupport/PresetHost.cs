using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A service provider with several named clients and a configuration the test can change and reload.
/// </summary>
public sealed class PresetHost : IDisposable
{
    /// <summary>Keeps backoff short so that retries take milliseconds.</summary>
    public const string FastBackoffJson = """
        "Retry": { "BaseDelay": "00:00:00.005", "MaxDelay": "00:00:00.020" }
        """;

    private PresetHost(ServiceProvider services, IConfigurationRoot configuration, CapturedLogs logs)
    {
        Services = services;
        Configuration = configuration;
        Logs = logs;
    }

    public ServiceProvider Services { get; }

    public IConfigurationRoot Configuration { get; }

    public CapturedLogs Logs { get; }

    public static IConfigurationRoot Json(string json)
    {
        var root = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

        // Memory on top, so that tests can edit a value and reload.
        return new ConfigurationBuilder().AddConfiguration(root).AddInMemoryCollection().Build();
    }

    public static PresetHost Create(string json, string baseUrl, Action<IServiceCollection, string> clients)
        => Create(Json(json), baseUrl, clients);

    public static PresetHost Create(IConfigurationRoot configuration, string baseUrl, Action<IServiceCollection, string> clients)
    {
        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddResiliencePresets(configuration.GetSection("ResiliencePresets"));
        clients(services, baseUrl);
        return new PresetHost(services.BuildServiceProvider(), configuration, logs);
    }

    /// <summary>Runs the start-up validation, as a host does when it starts.</summary>
    public PresetHost Start()
    {
        Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        return this;
    }

    public HttpClient Client(string name) => Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    /// <summary>Changes one configuration value and signals a reload, as a changed appsettings.json does.</summary>
    public void Change(string key, string? value)
    {
        Configuration[key] = value;
        Configuration.Reload();
    }

    public void Dispose() => Services.Dispose();
}
