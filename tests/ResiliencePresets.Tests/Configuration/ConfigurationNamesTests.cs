using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Configuration;

/// <summary>
/// Section and client names in the configuration: a name that means nothing is an error at start-up, never ignored, and
/// client names are matched one way everywhere.
/// </summary>
public sealed class ConfigurationNamesTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public ConfigurationNamesTests(FlakyServer server) => _server = server;

    // Regression: each of these started the host with the override silently dropped.
    [Theory]
    [InlineData("""{ "Client": { "probe": { "Retry": { "MaxRetryAttempts": 1 } } } }""",
        "ResiliencePresets:Client is not a known section; the sections under ResiliencePresets are Presets and Clients.")]
    [InlineData("""{ "Presetz": { "ReadOnlyApi": { "Retry": { "MaxRetryAttempts": 1 } } } }""",
        "ResiliencePresets:Presetz is not a known section; the sections under ResiliencePresets are Presets and Clients.")]
    [InlineData("""{ "Clients": { "probe": "fast" } }""",
        """ResiliencePresets:Clients:probe is 'fast'; a client's settings must be a section, such as { "Retry": { "MaxRetryAttempts": 2 } }, not a single value.""")]
    [InlineData("""{ "Presets": { "ReadOnlyApi": "fast" } }""",
        """ResiliencePresets:Presets:ReadOnlyApi is 'fast'; a preset's settings must be a section, such as { "Retry": { "MaxRetryAttempts": 2 } }, not a single value.""")]
    [InlineData("""{ "Clients": "probe" }""",
        "ResiliencePresets:Clients is 'probe'; Clients must be a section with one section per client, not a single value.")]
    public async Task MisplacedSectionOrValue_StopsTheHostAndIsNamed(string section, string expected)
    {
        using var host = Host(section);

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Failures);
    }

    // Regression: Clients:prboe (for probe) was silently ignored.
    [Fact]
    public async Task ClientSectionMatchingNoClient_StopsTheHostAndListsTheClientsWithAPreset()
    {
        using var host = Host("""{ "Clients": { "prboe": { "Retry": { "MaxRetryAttempts": 1 } } } }""");

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            ["ResiliencePresets:Clients:prboe names no HttpClient that has a resilience preset; the clients with a preset are payments, probe. A client's name is the name given to AddHttpClient, or a typed client's type name without namespace."],
            error.Failures);
    }

    [Fact]
    public async Task ClientSectionUnderConfigureHttpClientDefaults_IsValidForAnyName()
    {
        using var host = Host("""{ "Clients": { "created-later": { "Retry": { "MaxRetryAttempts": 1 } } } }""",
            services => services.ConfigureHttpClientDefaults(b => b.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi)));

        await host.StartAsync();
        await host.StopAsync();
    }

    // Regression: Clients:Payments was also validated as an unregistered ReadOnlyApi client, and the valid host refused to start.
    [Fact]
    public async Task ClientSectionInAnotherCase_IsValidatedAndAppliedAsThatClient()
    {
        var path = _server.Respond("/names/case", Status(503));
        // An attempt timeout of 90 s is valid under PaymentWithIdempotencyKey (2-minute total), not under ReadOnlyApi (1 minute).
        using var host = Host($$"""{ "Clients": { "Payments": { "AttemptTimeout": "00:01:30", "StatusCodes": { "503": "Never" }, "Methods": { "GET": "Never" } } } }""");

        await host.StartAsync();
        using var response = await host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("payments").GetAsync(new Uri(new Uri(_server.Url), path));
        await host.StopAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    // Regression: a rate that passed validation threw a timer error without a path when the client was created.
    [Fact]
    public async Task RateTooLowForTheTokenBucket_StopsTheHostWithItsPath()
    {
        using var host = Host("""{ "Clients": { "probe": { "RateLimit": { "PermitsPerSecond": 0.0000001 } } } }""");

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(["ResiliencePresets:Clients:probe:RateLimit:PermitsPerSecond is 1E-07; it must be 0 (off) or between 0.001 and 100000."], error.Failures);
    }

    [Theory]
    [InlineData("PermitsPerSecond", "0.001")]
    [InlineData("PermitsPerMinute", "0.06")]
    [InlineData("PermitsPerSecond", "100000")]
    public void SlowestAndFastestValidRates_BuildAClient(string key, string value)
    {
        var services = new ServiceCollection();
        services.AddResiliencePresets(PresetHost.Json($$"""{ "ResiliencePresets": { "Clients": { "probe": { "RateLimit": { "{{key}}": {{value}} } } } } }""").GetSection("ResiliencePresets"));
        services.AddHttpClient("probe").AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        using var provider = services.BuildServiceProvider();

        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("probe");

        Assert.NotNull(client);
    }

    // Regression: the failures were joined as "...10.; ResiliencePresets:...", and a value that could not be read was
    // reported a second time through the default left in its place.
    [Fact]
    public async Task SeveralProblems_ReadAsSentencesAndAnUnreadableValueIsReportedOnce()
    {
        using var host = Host("""{ "Clients": { "probe": { "Retry": { "MaxRetryAttempts": -1, "BaseDelay": "30", "MaxDelay": "00:00:00.500" } } } }""");

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(
            "ResiliencePresets:Clients:probe:Retry:BaseDelay is '30'; it must be a time span written as hh:mm:ss, such as 00:00:30. "
            + "ResiliencePresets:Clients:probe:Retry:MaxRetryAttempts is -1; it must be between 0 and 10.",
            error.Message);
    }

    private static IHost Host(string section, Action<IServiceCollection>? more = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();

        // Only this test's settings: the output folder holds the demo's appsettings.json.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddConfiguration(PresetHost.Json($$"""{ "ResiliencePresets": {{section}} }"""));
        builder.Services.AddResiliencePresets(builder.Configuration.GetSection("ResiliencePresets"));
        builder.Services.AddHttpClient("probe").AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        builder.Services.AddHttpClient("payments").AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey);
        more?.Invoke(builder.Services);
        return builder.Build();
    }
}
