using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A real <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>, given a preset, pointed at a test server.
/// </summary>
public sealed class PresetClient : IDisposable
{
    private PresetClient(ServiceProvider services, string clientName, CapturedLogs logs)
    {
        Services = services;
        Logs = logs;
        Client = services.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);
    }

    public ServiceProvider Services { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    /// <summary>
    /// Short backoff so tests that retry run in milliseconds; server-requested waits are untouched.
    /// </summary>
    public static void FastBackoff(ResiliencePresetOptions options)
    {
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(20);
    }

    public static PresetClient Create(
        string preset,
        string baseUrl,
        Action<ResiliencePresetOptions>? configure = null,
        string? json = null,
        string clientName = "api",
        Action<IServiceCollection>? services = null,
        Action<IHttpClientBuilder>? client = null)
        => Build(baseUrl, json, clientName, services, builder =>
        {
            builder.AddResiliencePreset(preset, configure ?? FastBackoff);
            client?.Invoke(builder);
        });

    /// <summary>The same client with <c>AddStandardResilienceHandler()</c> instead of a preset, for comparisons.</summary>
    public static PresetClient CreateStandard(string baseUrl, Action<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions> configure)
        => Build(baseUrl, json: null, "api", services: null, builder => builder.AddStandardResilienceHandler(configure));

    /// <summary>The same client with <c>AddStandardHedgingHandler()</c> instead of a preset, for comparisons.</summary>
    public static PresetClient CreateStandardHedging(string baseUrl, Action<Microsoft.Extensions.Http.Resilience.HttpStandardHedgingResilienceOptions> configure)
        => Build(baseUrl, json: null, "api", services: null, builder => Microsoft.Extensions.Http.Resilience.StandardHedgingHandlerBuilderExtensions.Configure(builder.AddStandardHedgingHandler(), configure));

    private static PresetClient Build(string baseUrl, string? json, string clientName, Action<IServiceCollection>? services, Action<IHttpClientBuilder> resilience)
    {
        var logs = new CapturedLogs();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (json is not null)
        {
            var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
            collection.AddResiliencePresets(configuration.GetSection("ResiliencePresets"));
        }

        services?.Invoke(collection);
        var builder = collection.AddHttpClient(clientName, c => c.BaseAddress = new Uri(baseUrl));
        resilience(builder);
        return new PresetClient(collection.BuildServiceProvider(), clientName, logs);
    }

    public void Dispose()
    {
        Client.Dispose();
        Services.Dispose();
    }
}
