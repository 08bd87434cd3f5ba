using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using ResiliencePresets.Tests.TestSupport;
using WireMock.ResponseBuilders;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Configuration;

/// <summary>
/// Configuration reloads: requests in flight finish under the settings they started with, a bad edit leaves every
/// client on its last good settings, and an edit that changes nothing effective changes nothing.
/// </summary>
public sealed class ReloadTests : IClassFixture<FlakyServer>
{
    private const string Fast = $$"""{{PresetHost.FastBackoffJson}}""";

    private readonly FlakyServer _server;

    public ReloadTests(FlakyServer server) => _server = server;

    // Regression: the edit disposed the token bucket while requests were queued on it; they ended in
    // RateLimiterRejectedException or ObjectDisposedException.
    [Fact]
    public async Task RateLimitEdit_RequestsQueuedForAPermit_AllComplete()
    {
        var path = _server.Respond("/reload/rate/queued", Status(200));
        using var host = PresetHost.Create("""
            { "ResiliencePresets": { "Clients": { "api": { "RateLimit": { "PermitsPerSecond": 4, "Burst": 1 } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));
        var client = host.Client("api");
        using var throttled = new ThrottledSignal("api", count: 3);

        var requests = Enumerable.Range(0, 4).Select(_ => client.GetAsync(path)).ToList();
        await throttled.Reached;
        host.Change("ResiliencePresets:Clients:api:RateLimit:PermitsPerSecond", "8");
        var responses = await Task.WhenAll(requests);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(4, _server.Calls(path));
    }

    // Regression: a request waiting for its retry met a disposed token bucket when it tried again.
    [Fact]
    public async Task RateLimitEdit_RequestWaitingForItsRetry_IsRetriedAndSucceeds()
    {
        var path = _server.Respond("/reload/rate/retrying", Status(503, ("Retry-After", "1")), Status(200));
        var firstResponse = new FirstResponseSignal();
        using var host = PresetHost.Create("""
            { "ResiliencePresets": { "Clients": { "api": { "RateLimit": { "PermitsPerSecond": 10 } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url))
                .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi)
                .AddHttpMessageHandler(() => firstResponse));

        var request = host.Client("api").GetAsync(path);
        await firstResponse.Arrived;
        host.Change("ResiliencePresets:Clients:api:RateLimit:PermitsPerSecond", "5");
        using var response = await request;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
    }

    // Regression: a client registered but not created before a bad edit could not be created at all afterwards.
    [Fact]
    public async Task BadEdit_ClientNotCreatedYet_IsCreatedWithItsLastGoodSettingsAndTheRejectionIsLogged()
    {
        var path = _server.Respond("/reload/bad/not-created", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": {
                "Presets": { "ReadOnlyApi": { {{Fast}} } },
                "Clients": { "used": { "Retry": { "MaxRetryAttempts": 1 } }, "later": { "Retry": { "MaxRetryAttempts": 2 } } } } }
            """, _server.Url, (services, url) =>
            {
                services.AddHttpClient("used", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
                services.AddHttpClient("later", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
            });
        using (await host.Client("used").GetAsync(path))
        {
        }

        host.Change("ResiliencePresets:Clients:later:Retry:MaxRetryAttempts", "-1");
        var before = _server.Calls(path);
        using var response = await host.Client("later").GetAsync(path);

        Assert.Equal(3, _server.Calls(path) - before);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Name == "ConfigurationRejected" && e.Level == LogLevel.Error &&
            e.Message.Contains("ResiliencePresets:Clients:later:Retry:MaxRetryAttempts is -1; it must be between 0 and 10.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClientSectionMatchingNoClientAddedAtRuntime_IsLoggedOnceUntilItChangesAndTheClientsEditsStillApply()
    {
        var path = _server.Respond("/reload/layout/unmatched", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{Fast}} } }, "Clients": { "api": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi)).Start();
        var client = host.Client("api");
        IEnumerable<string> LayoutRejections() => host.Logs.Entries.Where(e => e.EventId.Name == "ConfigurationLayoutRejected" && e.Level == LogLevel.Error).Select(e => e.Message);

        host.Change("ResiliencePresets:Clients:apo:Retry:MaxRetryAttempts", "2");
        host.Change("ResiliencePresets:Clients:api:Retry:MaxRetryAttempts", "0");
        using (await client.GetAsync(path))
        {
        }

        var logged = Assert.Single(LayoutRejections());
        Assert.Contains("ResiliencePresets:Clients:apo names no HttpClient that has a resilience preset; the clients with a preset are api.", logged, StringComparison.Ordinal);
        Assert.Equal(1, _server.Calls(path));
        Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Name == "ConfigurationRejected");

        host.Change("ResiliencePresets:Clinets:api:Retry:MaxRetryAttempts", "2");

        Assert.Equal(2, LayoutRejections().Count());
        Assert.Contains("ResiliencePresets:Clinets is not a known section; the sections under ResiliencePresets are Presets and Clients.", LayoutRejections().Last(), StringComparison.Ordinal);
    }

    // Regression: code given to AddResiliencePreset that threw under the edited configuration (here Methods.Add of a
    // method the edit added) threw out of the reload, on the thread that reloaded, and named no client.
    [Fact]
    public async Task EditUnderWhichTheCodeOverrideThrows_IsRejectedAndTheClientKeepsItsLastGoodSettings()
    {
        var path = _server.Respond("/reload/bad/code-throws", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{Fast}} } }, "Clients": { "api": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url))
                .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o => o.Methods.Add("PATCH", MethodRetryRule.Retry)));
        var client = host.Client("api");
        using (await client.GetAsync(path))
        {
        }

        host.Change("ResiliencePresets:Clients:api:Methods:PATCH", "Never");
        var before = _server.Calls(path);
        using var response = await client.GetAsync(path);

        Assert.Equal(2, _server.Calls(path) - before);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Name == "ConfigurationRejected" &&
            e.Message.Contains("The code given to AddResiliencePreset for the HttpClient 'api' threw ArgumentException: An item with the same key has already been added. Key: PATCH.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadEdit_TypedClientCreatedInANewScope_KeepsItsLastGoodSettings()
    {
        var path = _server.Respond("/reload/bad/typed", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": {
                "Presets": { "ReadOnlyApi": { {{Fast}} } },
                "Clients": { "ItemsClient": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, (services, url) =>
            {
                services.AddHttpClient("other", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
                services.AddHttpClient<ItemsClient>(c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
            });
        using (await host.Client("other").GetAsync(path))
        {
        }

        host.Change("ResiliencePresets:Clients:ItemsClient:Retry:MaxRetryAttempts", "eleven");
        var before = _server.Calls(path);
        using var scope = host.Services.CreateScope();
        using var response = await scope.ServiceProvider.GetRequiredService<ItemsClient>().Get(path);

        Assert.Equal(2, _server.Calls(path) - before);
    }

    [Fact]
    public async Task BadEdit_ClientUnderConfigureHttpClientDefaultsNotCreatedYet_KeepsItsLastGoodSettings()
    {
        var path = _server.Respond("/reload/bad/defaults", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": {
                "Presets": { "ReadOnlyApi": { {{Fast}} } },
                "Clients": { "later": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, (services, url) =>
            {
                services.ConfigureHttpClientDefaults(b => b.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));
                services.AddHttpClient("first", c => c.BaseAddress = new Uri(url));
                services.AddHttpClient("later", c => c.BaseAddress = new Uri(url));
            });
        using (await host.Client("first").GetAsync(path))
        {
        }

        host.Change("ResiliencePresets:Clients:later:TotalTimeout", "00:00:00");
        var before = _server.Calls(path);
        using var response = await host.Client("later").GetAsync(path);

        Assert.Equal(2, _server.Calls(path) - before);
        Assert.Contains(host.Logs.Entries, e => e.EventId.Name == "ConfigurationRejected" &&
            e.Message.Contains("ResiliencePresets:Clients:later:TotalTimeout is 00:00:00;", StringComparison.Ordinal));
    }

    // Regression: the reload compared configuration text, so these edits rebuilt the pipeline and closed the breaker.
    [Theory]
    [InlineData("ResiliencePresets:Presets:ReadOnlyApi:Retry:MaxRetryAttempts", "3")]
    [InlineData("ResiliencePresets:Clients:api:TotalTimeout", "0:01:00")]
    [InlineData("ResiliencePresets:Clients:api:CircuitBreaker:FailureRatio", "0.50")]
    public async Task EditThatChangesNoEffectiveSetting_LeavesAnOpenBreakerOpen(string key, string value)
    {
        var down = _server.Respond($"/reload/same/down/{value}", Status(503));
        var up = _server.Respond($"/reload/same/up/{value}", Status(200));
        using var host = PresetHost.Create("""
            { "ResiliencePresets": { "Clients": { "api": {
                "Retry": { "MaxRetryAttempts": 0 }, "TotalTimeout": "00:01:00",
                "CircuitBreaker": { "FailureRatio": 0.5, "MinimumThroughput": 2, "BreakDuration": "00:01:00" } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));
        var client = host.Client("api");
        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.GetAsync(down);
        }

        host.Change(key, value);

        await Assert.ThrowsAsync<BrokenCircuitException>(() => host.Client("api").GetAsync(up));
        Assert.Equal(0, _server.Calls(up));
        Assert.DoesNotContain(host.Logs.Entries, e => e.EventId.Name == "ConfigurationApplied");
    }

    [Fact]
    public async Task EditThatChangesAnEffectiveSetting_RebuildsThePipelineAndIsLogged()
    {
        var path = _server.Respond("/reload/changed", Status(503));
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Presets": { "ReadOnlyApi": { {{Fast}} } }, "Clients": { "api": { "Retry": { "MaxRetryAttempts": 1 } } } } }
            """, _server.Url, (services, url) => services.AddHttpClient("api", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));
        using (await host.Client("api").GetAsync(path))
        {
        }

        host.Change("ResiliencePresets:Clients:api:Retry:MaxRetryAttempts", "2");
        var before = _server.Calls(path);
        using var response = await host.Client("api").GetAsync(path);

        Assert.Equal(3, _server.Calls(path) - before);
        Assert.Single(host.Logs.Entries, e => e.EventId.Name == "ConfigurationApplied");
    }

    public sealed class ItemsClient(HttpClient http)
    {
        public Task<HttpResponseMessage> Get(string path) => http.GetAsync(path);
    }

    /// <summary>Completes when the first response comes back from below the preset.</summary>
    private sealed class FirstResponseSignal : DelegatingHandler
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Arrived => _arrived.Task;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            _arrived.TrySetResult();
            return response;
        }
    }

    /// <summary>Completes when a client's attempts have had to queue for a permit of its rate limit a number of times.</summary>
    private sealed class ThrottledSignal : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _seen;

        public ThrottledSignal(string client, int count)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "ResiliencePresets" && instrument.Name == "resiliencepresets.rate_limiter.throttled")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "resiliencepresets.client" && Equals(tag.Value, client) && Interlocked.Increment(ref _seen) >= count)
                    {
                        _reached.TrySetResult();
                    }
                }
            });
            _listener.Start();
        }

        public Task Reached => _reached.Task;

        public void Dispose() => _listener.Dispose();
    }
}
