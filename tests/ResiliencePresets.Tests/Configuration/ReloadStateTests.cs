using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Configuration;

/// <summary>
/// What a reload applies to and when, what a rejected edit leaves in place, and which of a client's state outlives the
/// pipeline rebuild an edit causes.
/// </summary>
public sealed class ReloadStateTests : IClassFixture<FlakyServer>
{
    private const string Fast = $$"""{{PresetHost.FastBackoffJson}}""";

    private readonly FlakyServer _server;

    public ReloadStateTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task Edit_ExistingHttpClientAndANewOne_SendTheirNextRequestUnderTheNewSettings()
    {
        var path = _server.Respond("/reload/state/next", Status(503));
        using var host = Api(_server, $$"""{ "Retry": { "MaxRetryAttempts": 1 } }""");
        var existing = host.Client("api");
        using (await existing.GetAsync(path))
        {
        }

        host.Change("ResiliencePresets:Clients:api:Retry:MaxRetryAttempts", "3");
        var before = _server.Calls(path);
        using (await existing.GetAsync(path))
        {
        }

        var afterExisting = _server.Calls(path);
        using (await host.Client("api").GetAsync(path))
        {
        }

        Assert.Equal(4, afterExisting - before);
        Assert.Equal(4, _server.Calls(path) - afterExisting);
    }

    [Fact]
    public async Task Edit_WhileARequestIsInItsFirstAttempt_TheRequestKeepsTheRetriesItStartedWith()
    {
        var path = _server.Respond("/reload/state/in-flight", Status(503));
        var hold = new HoldFirstResponse();
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{Fast}} } }, "Clients": { "api": { "Retry": { "MaxRetryAttempts": 3 } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url))
                .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi)
                .AddHttpMessageHandler(() => hold));

        var request = host.Client("api").GetAsync(path);
        await hold.Arrived;
        host.Change("ResiliencePresets:Clients:api:Retry:MaxRetryAttempts", "0");
        hold.Release();
        using var response = await request;

        Assert.Equal(4, _server.Calls(path));
        var before = _server.Calls(path);
        using (await host.Client("api").GetAsync(path))
        {
        }

        Assert.Equal(1, _server.Calls(path) - before);
    }

    // Regression: every later reload, whatever it changed, logged the same rejection of a client again; and a client
    // first created after a bad edit that came before any client was created threw, as the store froze its last good
    // settings only then.
    [Fact]
    public async Task BadEditOfOneClient_IsLoggedOnceLeavesItsLastGoodSettingsAndOtherClientsFree()
    {
        var path = _server.Respond("/reload/state/bad-once", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": {
                "Presets": { "ReadOnlyApi": { {{Fast}} } },
                "Clients": { "bad": { "Retry": { "MaxRetryAttempts": 1 } }, "good": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, (services, url) =>
            {
                services.AddHttpClient("bad", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
                services.AddHttpClient("good", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
            }).Start();

        host.Change("ResiliencePresets:Clients:bad:Retry:MaxRetryAttempts", "11");
        host.Change("ResiliencePresets:Clients:good:Retry:MaxRetryAttempts", "2");
        host.Configuration.Reload();

        Assert.Equal(2, await Calls(host, "bad", path));
        Assert.Equal(3, await Calls(host, "good", path));
        var rejected = Assert.Single(host.Logs.Entries, e => e.EventId.Name == "ConfigurationRejected");
        Assert.Equal(LogLevel.Error, rejected.Level);
        Assert.Contains("ResiliencePresets:Clients:bad:Retry:MaxRetryAttempts is 11; it must be between 0 and 10.", rejected.Message, StringComparison.Ordinal);
        Assert.Single(host.Logs.Entries, e => e.EventId.Name == "ConfigurationApplied" && e.Message.EndsWith("client good.", StringComparison.Ordinal));

        host.Change("ResiliencePresets:Clients:bad:Retry:MaxRetryAttempts", "12");
        host.Change("ResiliencePresets:Clients:bad:Retry:MaxRetryAttempts", "3");

        Assert.Equal(4, await Calls(host, "bad", path));
        Assert.Equal(2, host.Logs.Entries.Count(e => e.EventId.Name == "ConfigurationRejected"));
    }

    [Fact]
    public async Task EditWithAMisspelledKey_IsRejectedNamingItsPathAndTheClientKeepsItsLastGoodSettings()
    {
        var path = _server.Respond("/reload/state/bad-key", Status(503));
        using var host = Api(_server, $$"""{ "Retry": { "MaxRetryAttempts": 1 } }""");

        host.Change("ResiliencePresets:Clients:api:Retyr:MaxRetryAttempts", "3");

        Assert.Equal(2, await Calls(host, "api", path));
        var rejected = Assert.Single(host.Logs.Entries, e => e.EventId.Name == "ConfigurationRejected");
        Assert.Contains("ResiliencePresets:Clients:api:Retyr is not a known setting;", rejected.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSectionAddedAtRuntime_ForARegisteredHttpClient_AppliesToItsNextRequest()
    {
        var path = _server.Respond("/reload/state/added", Status(503));
        var (configuration, source) = ReplaceableConfiguration.Create($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{Fast}} } } } }
            """);
        using var host = ApiWithin(configuration);
        Assert.Equal(5, await Calls(host, "api", path));

        source.Replace($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{Fast}} } }, "Clients": { "api": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """);

        Assert.Equal(2, await Calls(host, "api", path));
    }

    [Fact]
    public async Task ClientSectionRemovedAtRuntime_TheClientFallsBackToItsPreset()
    {
        var path = _server.Respond("/reload/state/removed", Status(503));
        var (configuration, source) = ReplaceableConfiguration.Create($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{Fast}} } }, "Clients": { "api": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """);
        using var host = ApiWithin(configuration);
        Assert.Equal(2, await Calls(host, "api", path));

        source.Replace($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{Fast}} } } } }
            """);

        Assert.Equal(5, await Calls(host, "api", path));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task EditOfAnotherSetting_KeepsTheRetryBudgetsCounts()
    {
        var path = _server.Respond("/reload/state/budget", Status(503));
        using var host = Api(_server, $$"""
            { "Retry": { "MaxRetryAttempts": 3 }, "RetryBudget": { "MaxRetryRatio": 0, "MinRetries": 1, "Window": "01:00:00" } }
            """);
        Assert.Equal(2, await Calls(host, "api", path));

        host.Change("ResiliencePresets:Clients:api:AttemptTimeout", "00:00:20");

        Assert.Equal(1, await Calls(host, "api", path));
        Assert.Single(host.Logs.Entries, e => e.EventId.Name == "ConfigurationApplied");
    }

    [Fact]
    public async Task EditThatRebuildsThePipeline_StartsANewClosedBreaker()
    {
        var down = _server.Respond("/reload/state/breaker/down", Status(503));
        var up = _server.Respond("/reload/state/breaker/up", Status(200));
        using var host = Api(_server, """
            { "Retry": { "MaxRetryAttempts": 0 }, "CircuitBreaker": { "MinimumThroughput": 2, "BreakDuration": "00:01:00" } }
            """);
        for (var i = 0; i < 2; i++)
        {
            using var failed = await host.Client("api").GetAsync(down);
        }

        await Assert.ThrowsAsync<Polly.CircuitBreaker.BrokenCircuitException>(() => host.Client("api").GetAsync(up));

        host.Change("ResiliencePresets:Clients:api:AttemptTimeout", "00:00:20");
        using var response = await host.Client("api").GetAsync(up);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ManyReloads_Under50ConcurrentRequests_NoRequestFailsAndNoReloadThrows()
    {
        var path = _server.Respond("/reload/state/load", Status(200));
        using var host = Api(_server, """{ "RateLimit": { "PermitsPerSecond": 100000, "Burst": 1000 } }""");
        var client = host.Client("api");
        var done = 0;
        var requests = Enumerable.Range(0, 50).Select(async _ =>
        {
            for (var i = 0; i < 10; i++)
            {
                using var response = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Interlocked.Increment(ref done);
        }).ToList();

        var reloads = 0;
        while (Volatile.Read(ref done) < 50 || reloads < 20)
        {
            reloads++;
            host.Change("ResiliencePresets:Clients:api:RateLimit:PermitsPerSecond", reloads % 2 == 0 ? "100000" : "90000");
            host.Change("ResiliencePresets:Clients:api:Retry:MaxRetryAttempts", (reloads % 4).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Task.Yield();
        }

        await Task.WhenAll(requests);

        Assert.Equal(500, _server.Calls(path));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ManyRateLimitEdits_WithNoRequestInFlight_DoNotAccumulateReplacedBuckets()
    {
        var path = _server.Respond("/reload/state/buckets", Status(200));
        using var host = Api(_server, """{ "RateLimit": { "PermitsPerSecond": 1000, "Burst": 100 } }""");
        var runtime = host.Services.GetRequiredService<ClientRuntimeRegistry>().For("api");
        var replaced = new List<WeakReference>();
        for (var i = 0; i < 20; i++)
        {
            using (await host.Client("api").GetAsync(path))
            {
            }

            replaced.Add(new WeakReference(runtime.Preparation!.Limiter!.Limiter));
            host.Change("ResiliencePresets:Clients:api:RateLimit:PermitsPerSecond", (2000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using (await host.Client("api").GetAsync(path))
        {
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // What a reload leaves behind does not grow with the reloads: of twenty replaced buckets, only the last edits'
        // may still be held, by the disposal of their pipelines that Polly runs in the background (a clean-clone run
        // on a busy machine found one alive).
        Assert.InRange(replaced.Count(r => r.IsAlive), 0, 2);
    }

    private static PresetHost Api(FlakyServer server, string clientJson) => PresetHost.Create(
        $$$"""{ "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{{Fast}}} } }, "Clients": { "api": {{{clientJson}}} } } }""",
        server.Url,
        (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi)).Start();

    private PresetHost ApiWithin(Microsoft.Extensions.Configuration.IConfigurationRoot configuration) => PresetHost.Create(
        configuration,
        _server.Url,
        (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi)).Start();

    private async Task<int> Calls(PresetHost host, string client, string path)
    {
        var before = _server.Calls(path);
        using (await host.Client(client).GetAsync(path))
        {
        }

        return _server.Calls(path) - before;
    }

    /// <summary>Holds the first response below the preset until the test releases it.</summary>
    private sealed class HoldFirstResponse : DelegatingHandler
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _responses;

        public Task Arrived => _arrived.Task;

        public void Release() => _released.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Interlocked.Increment(ref _responses) == 1)
            {
                _arrived.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }

            return response;
        }
    }
}
