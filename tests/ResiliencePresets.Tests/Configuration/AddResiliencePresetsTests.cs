using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Configuration;

public sealed class AddResiliencePresetsTests : IClassFixture<FlakyServer>
{
    private const string Fast = $$"""{{PresetHost.FastBackoffJson}}""";

    private readonly FlakyServer _server;

    public AddResiliencePresetsTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task ClientSection_OverridesThePresetForThatClientOnly()
    {
        var path = _server.Respond("/config/client-retries", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": {
                "Presets": { "ReadOnlyApi": { {{Fast}} } },
                "Clients": { "github": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, AddTwoReadOnlyClients);

        using var github = await host.Client("github").GetAsync(path);
        var githubCalls = _server.Calls(path);
        using var other = await host.Client("other").GetAsync(path);

        Assert.Equal(2, githubCalls);
        Assert.Equal(2 + 5, _server.Calls(path));
    }

    [Theory]
    [InlineData(409, "Retry", 5)]
    [InlineData(503, "Never", 1)]
    [InlineData(500, "Retry(3)", 4)]
    public async Task ClientStatusCodes_ChangeHowThatCodeIsTreated(int status, string rule, int expectedCalls)
    {
        var path = _server.Respond($"/config/status/{status}/{rule}", Status(status));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": {
                "Presets": { "ReadOnlyApi": { {{Fast}} } },
                "Clients": { "github": { "StatusCodes": { "{{status}}": "{{rule}}" } } } } }
            """, _server.Url, AddTwoReadOnlyClients);

        using var response = await host.Client("github").GetAsync(path);

        Assert.Equal(expectedCalls, _server.Calls(path));
    }

    [Fact]
    public async Task PresetSection_ChangesTheBuiltInPresetForEveryClientThatUsesIt()
    {
        var path = _server.Respond("/config/preset-change", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { "Retry": { "MaxRetryAttempts": 2, "BaseDelay": "00:00:00.005", "MaxDelay": "00:00:00.020" } } } } }
            """, _server.Url, AddTwoReadOnlyClients);

        using var github = await host.Client("github").GetAsync(path);
        using var other = await host.Client("other").GetAsync(path);

        Assert.Equal(3 + 3, _server.Calls(path));
    }

    [Fact]
    public async Task PresetBasedOnAnother_StartsFromItsBaseAndAppliesItsOwnChanges()
    {
        var get = _server.Respond("/config/based-on/get", Status(503));
        var post = _server.Respond("/config/based-on/post", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Presets": {
                "ReadOnlyApi": { {{Fast}} },
                "SlowReports": { "BasedOn": "ReadOnlyApi", "Retry": { "MaxRetryAttempts": 1 }, "TotalTimeout": "00:02:00" } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("reports", c => c.BaseAddress = new Uri(url)).AddResiliencePreset("SlowReports"));

        using var getResponse = await host.Client("reports").GetAsync(get);
        using var postResponse = await host.Client("reports").PostAsync(post, new StringContent("{}"));

        Assert.Equal(2, _server.Calls(get));
        Assert.Equal(1, _server.Calls(post));
    }

    [Fact]
    public async Task CodeOverride_IsAppliedAfterTheConfiguration()
    {
        var path = _server.Respond("/config/code-after-json", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Clients": { "github": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("github", c => c.BaseAddress = new Uri(url))
                .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o =>
                {
                    PresetClient.FastBackoff(o);
                    o.Retry.MaxRetryAttempts = 3;
                }));

        using var response = await host.Client("github").GetAsync(path);

        Assert.Equal(4, _server.Calls(path));
    }

    [Fact]
    public async Task TypedClient_IsConfiguredUnderItsTypeName()
    {
        var path = _server.Respond("/config/typed", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Clients": { "PaymentsClient": { "Retry": { "MaxRetryAttempts": 1, "BaseDelay": "00:00:00.005", "MaxDelay": "00:00:00.020" } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient<PaymentsClient>(c => c.BaseAddress = new Uri(url))
                .AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey));

        using var response = await host.Services.GetRequiredService<PaymentsClient>().Charge(path);

        Assert.Equal(2, _server.Calls(path));
        var keys = _server.Requests(path).Select(r => r.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.Single(keys.Distinct());
    }

    [Fact]
    public async Task InvalidConfiguration_StopsTheHostFromStartingAndNamesEveryProblemWithItsPath()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddConfiguration(PresetHost.Json("""
            { "ResiliencePresets": {
                "Presets": { "SlowReports": { "BasedOn": "ReadOnlyApi", "TotalTimeout": "soon" } },
                "Clients": { "github": { "Retry": { "MaxRetryAttempts": -1 }, "StatusCodes": { "404": "Sometimes" }, "Retyr": { } } } } }
            """));
        builder.Services.AddResiliencePresets(builder.Configuration.GetSection("ResiliencePresets"));
        builder.Services.AddHttpClient("github").AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ResiliencePresets:Clients:github:Retry:MaxRetryAttempts is -1; it must be between 0 and 10.", error.Failures);
        Assert.Contains("ResiliencePresets:Clients:github:StatusCodes:404 is 'Sometimes'; it must be Retry, Never or Retry(N) with N at least 1.", error.Failures);
        Assert.Contains(error.Failures, f => f.StartsWith("ResiliencePresets:Clients:github:Retyr is not a known setting;", StringComparison.Ordinal));
        Assert.Contains("ResiliencePresets:Presets:SlowReports:TotalTimeout is 'soon'; it must be a time span written as hh:mm:ss, such as 00:00:30.", error.Failures);
    }

    [Fact]
    public void UnknownPresetName_IsRejectedWithTheKnownNames()
    {
        var services = new ServiceCollection();
        services.AddResiliencePresets(PresetHost.Json("""{ "ResiliencePresets": { "Presets": { "SlowReports": { "BasedOn": "ReadOnlyApi" } } } }""").GetSection("ResiliencePresets"));

        var error = Assert.Throws<ArgumentException>(() => services.AddHttpClient("github").AddResiliencePreset("ReadOnlyAPI"));

        Assert.Equal(
            "The resilience preset 'ReadOnlyAPI' is not known. Known presets: ReadOnlyApi, IdempotentWrite, PaymentWithIdempotencyKey, SlowReports. "
            + "Names are case-sensitive; a new preset is defined under ResiliencePresets:Presets with BasedOn. (Parameter 'presetName')",
            error.Message);
    }

    [Fact]
    public async Task Reload_GoodChangeApplies_BadChangeIsLoggedAndIgnored_LaterGoodChangeApplies()
    {
        var path = _server.Respond("/config/reload", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": {
                "Presets": { "ReadOnlyApi": { {{Fast}} } },
                "Clients": { "github": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, AddTwoReadOnlyClients);
        var client = host.Client("github");
        const string Key = "ResiliencePresets:Clients:github:Retry:MaxRetryAttempts";

        async Task<int> CallsPerRequest()
        {
            var before = _server.Calls(path);
            using var response = await client.GetAsync(path);
            return _server.Calls(path) - before;
        }

        Assert.Equal(2, await CallsPerRequest());

        host.Change(Key, "2");
        Assert.Equal(3, await CallsPerRequest());

        host.Change(Key, "-1");
        Assert.Equal(3, await CallsPerRequest());
        var rejected = Assert.Single(host.Logs.Entries, e => e.EventId.Name == "ConfigurationRejected");
        Assert.Equal(LogLevel.Error, rejected.Level);
        Assert.Contains("ResiliencePresets:Clients:github:Retry:MaxRetryAttempts is -1; it must be between 0 and 10.", rejected.Message, StringComparison.Ordinal);

        host.Change(Key, "0");
        Assert.Equal(1, await CallsPerRequest());
    }

    [Fact]
    public async Task EnvironmentVariables_WithDoubleUnderscoresInUpperCase_ConfigureTheClient()
    {
        var path = _server.Respond("/config/environment", Status(503));
        using var variables = new EnvironmentVariables(
            ("RESILIENCEPRESETS__PRESETS__ReadOnlyApi__RETRY__BASEDELAY", "00:00:00.005"),
            ("RESILIENCEPRESETS__PRESETS__ReadOnlyApi__RETRY__MAXDELAY", "00:00:00.020"),
            ("RESILIENCEPRESETS__CLIENTS__GITHUB__RETRY__MAXRETRYATTEMPTS", "1"));
        using var host = PresetHost.Create(variables.Configuration(), _server.Url, AddTwoReadOnlyClients).Start();

        using var github = await host.Client("github").GetAsync(path);
        var githubCalls = _server.Calls(path);
        using var other = await host.Client("other").GetAsync(path);

        Assert.Equal(2, githubCalls);
        Assert.Equal(2 + 5, _server.Calls(path));
    }

    [Fact]
    public void EnvironmentVariable_OutOfRange_IsNamedByItsConfigurationPath()
    {
        using var variables = new EnvironmentVariables(("RESILIENCEPRESETS__CLIENTS__GITHUB__RETRY__MAXRETRYATTEMPTS", "11"));
        using var host = PresetHost.Create(variables.Configuration(), _server.Url, AddTwoReadOnlyClients);

        var error = Assert.ThrowsAny<OptionsValidationException>(() => host.Start());

        Assert.Equal(["ResiliencePresets:Clients:GITHUB:Retry:MaxRetryAttempts is 11; it must be between 0 and 10."], error.Failures);
    }

    // Regression: Methods:POST "+1" was read as the enum's number 1, Retry, so ReadOnlyApi resent a POST after a 503.
    [Fact]
    public async Task MethodRuleWrittenAsASignedNumber_StopsTheHostInsteadOfRetryingThePost()
    {
        var path = _server.Respond("/config/method-plus-one", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": {
                "Presets": { "ReadOnlyApi": { {{Fast}} } },
                "Clients": { "github": { "Methods": { "POST": "+1" } } } } }
            """, _server.Url, AddTwoReadOnlyClients);

        var error = Assert.ThrowsAny<OptionsValidationException>(() => host.Start());
        using var response = await host.Client("other").PostAsync(path, new StringContent("{}"));

        Assert.Equal(["ResiliencePresets:Clients:github:Methods:POST is '+1'; it must be Retry, Never or WithIdempotencyKey."], error.Failures);
        Assert.Equal(1, _server.Calls(path));
    }

    // Process-wide variables under a prefix of this instance's own, read through the environment variables provider.
    private sealed class EnvironmentVariables : IDisposable
    {
        private readonly string _prefix = $"RP_{Guid.NewGuid():N}_";
        private readonly string[] _names;

        public EnvironmentVariables(params (string Name, string Value)[] variables)
        {
            _names = [.. variables.Select(v => _prefix + v.Name)];
            foreach (var (name, value) in variables)
            {
                Environment.SetEnvironmentVariable(_prefix + name, value);
            }
        }

        public IConfigurationRoot Configuration() => new ConfigurationBuilder().AddEnvironmentVariables(_prefix).Build();

        public void Dispose()
        {
            foreach (var name in _names)
            {
                Environment.SetEnvironmentVariable(name, null);
            }
        }
    }

    private static void AddTwoReadOnlyClients(IServiceCollection services, string url)
    {
        services.AddHttpClient("github", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        services.AddHttpClient("other", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
    }

    public sealed class PaymentsClient(HttpClient http)
    {
        public Task<HttpResponseMessage> Charge(string path) => http.PostAsync(path, new StringContent("""{"amount":100}"""));
    }
}
