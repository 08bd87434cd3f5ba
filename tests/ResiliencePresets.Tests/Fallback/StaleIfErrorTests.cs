using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ResiliencePresets.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Fallback;

/// <summary>
/// Stale-if-error end to end: a real HttpClient from IHttpClientFactory with a preset, against WireMock.Net.
/// </summary>
public sealed class StaleIfErrorTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public StaleIfErrorTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task ReadOnlyApi_UrlFetchedBeforeThenFailingWith503_IsAnsweredStaleWithTheMarkers()
    {
        var path = _server.Serve("/stale/items", Ok("[1,2,3]", ("Content-Type", "application/json")));
        using var api = Client();

        using (var fresh = await api.Client.GetAsync($"{path}?page=1&token=s3cr3t"))
        {
            Assert.False(StaleResponse.IsStale(fresh));
            Assert.Null(fresh.Headers.Age);
        }

        _server.GoDown(path);

        using var stale = await api.Client.GetAsync($"{path}?page=1&token=s3cr3t");

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.True(StaleResponse.IsStale(stale));
        Assert.Equal("[1,2,3]", await stale.Content.ReadAsStringAsync());
        Assert.Equal("application/json", stale.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(stale.Headers.Age);
        Assert.Matches("^ResiliencePresets; fwd=stale; fwd-status=503; ttl=-?[0-9]+; detail=stale-if-error$", Assert.Single(stale.Headers.GetValues("Cache-Status")));

        // Every attempt was made: the stale answer comes after the retries, not instead of them.
        Assert.Equal(1 + 1 + 4, _server.Calls(path));
        var line = Assert.Single(api.Logs.Entries, e => e.EventId.Name == "StaleAnswered");
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains($"GET {_server.Url}{path} with a stale response", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", api.Logs.AllText(), StringComparison.Ordinal);
    }

    // Pushback judges the answer the service got: a kept response is an answer, so no call is recorded as given up.
    [Fact]
    public async Task ARequestAnsweredStale_IsNotRecordedAsGivenUp_WhileAFailureWithoutOneIs()
    {
        var path = _server.Serve("/stale/pushback", Ok("kept"));
        var unknown = _server.Serve("/stale/pushback-unknown", Ok("never fetched"));
        using var api = Client(retries: 1);
        (await api.Client.GetAsync(path)).Dispose();
        _server.GoDown(path);
        _server.GoDown(unknown);

        using var scope = GiveUpScope.Begin();
        using (var stale = await api.Client.GetAsync(path))
        {
            Assert.True(StaleResponse.IsStale(stale));
        }

        Assert.Null(scope.Last);
        using var failure = await api.Client.GetAsync(unknown);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(GiveUpReason.RetriesExhausted, scope.Last?.Reason);
    }

    [Fact]
    public async Task ReadOnlyApi_KeptResponseOlderThanStaleIfError_ReturnsTheFailure()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var path = _server.Serve("/stale/old", Ok("old"));
        using var api = Client(staleIfError: "00:01:00", retries: 0, services: s => s.AddSingleton<TimeProvider>(time));
        (await api.Client.GetAsync(path)).Dispose();
        _server.GoDown(path);

        time.Advance(TimeSpan.FromSeconds(45));
        using (var stale = await api.Client.GetAsync(path))
        {
            Assert.True(StaleResponse.IsStale(stale));
            Assert.Equal(TimeSpan.FromSeconds(45), stale.Headers.Age);
        }

        time.Advance(TimeSpan.FromSeconds(16));
        using var failure = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.False(StaleResponse.IsStale(failure));
    }

    [Theory]
    [InlineData("Authorization", "Bearer alice-token", "Bearer bob-token")]
    [InlineData("Cookie", "session=alice", "session=bob")]
    [InlineData("X-Api-Key", "alice-key", "bob-key")]
    [InlineData("api-key", "alice-key", "bob-key")]
    [InlineData("X-Tenant-Id", "alice", "bob")]
    public async Task ReadOnlyApi_OneCallersResponse_NeverAnswersAnotherCaller(string header, string alice, string bob)
    {
        var path = _server.Serve($"/stale/me/{header}", Ok("alice's account"));
        using var api = Client(retries: 0);
        (await api.Client.SendAsync(As(path, header, alice))).Dispose();
        _server.GoDown(path);

        using var forBob = await api.Client.SendAsync(As(path, header, bob));
        using var forNobody = await api.Client.GetAsync(path);
        using var forAlice = await api.Client.SendAsync(As(path, header, alice));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, forBob.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, forNobody.StatusCode);
        Assert.Equal("alice's account", await forAlice.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task IdempotentWrite_Post_IsNeverAnsweredStale()
    {
        var path = _server.Serve("/stale/orders", Ok("created"));
        using var api = Client(preset: ResiliencePresetNames.IdempotentWrite);
        (await api.Client.PostAsync(path, new StringContent("order"))).Dispose();
        _server.GoDown(path);

        using var response = await api.Client.PostAsync(path, new StringContent("order"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(StaleResponse.IsStale(response));
    }

    [Theory]
    [InlineData(HttpCompletionOption.ResponseContentRead)]
    [InlineData(HttpCompletionOption.ResponseHeadersRead)]
    public async Task ReadOnlyApi_BodyLargerThanMaxBodyBytes_IsDeliveredIntactAndNotKept(HttpCompletionOption completion)
    {
        var body = RandomNumberGenerator.GetBytes(200_000);
        var path = _server.Serve($"/stale/large/{completion}", Response.Create().WithStatusCode(200).WithBody(body));
        using var api = Client(retries: 0);

        using (var large = await api.Client.GetAsync(path, completion))
        {
            Assert.Equal(body, await large.Content.ReadAsByteArrayAsync());
        }

        _server.GoDown(path);

        using var failure = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
    }

    [Fact]
    public async Task ReadOnlyApi_StreamedBodyReadToItsEnd_IsDeliveredIntactAndKept()
    {
        var body = RandomNumberGenerator.GetBytes(40_000);
        var path = _server.Serve("/stale/streamed", Response.Create().WithStatusCode(200).WithBody(body));
        using var api = Client(retries: 0);

        using (var streamed = await api.Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var stream = await streamed.Content.ReadAsStreamAsync();
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.Equal(body, copy.ToArray());
        }

        _server.GoDown(path);

        using var stale = await api.Client.GetAsync(path);

        Assert.True(StaleResponse.IsStale(stale));
        Assert.Equal(body, await stale.Content.ReadAsByteArrayAsync());
        Assert.Equal(40_000, stale.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task ReadOnlyApi_ResponseMarkedNoStore_IsNotKept()
    {
        var path = _server.Serve("/stale/no-store", Ok("secret", ("Cache-Control", "no-store")));
        using var api = Client(retries: 0);
        (await api.Client.GetAsync(path)).Dispose();
        _server.GoDown(path);

        using var failure = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
    }

    [Fact]
    public async Task ReadOnlyApi_DependencyUnreachable_IsAnsweredStaleAfterTheRetries()
    {
        var path = _server.Serve("/stale/unreachable", Ok("kept"));
        var network = new Network();
        using var api = Client(client: b => b.AddHttpMessageHandler(() => network));
        (await api.Client.GetAsync(path)).Dispose();
        network.Down = true;

        using var stale = await api.Client.GetAsync(path);

        Assert.True(StaleResponse.IsStale(stale));
        Assert.Equal("kept", await stale.Content.ReadAsStringAsync());
        Assert.Equal("ResiliencePresets; fwd=stale; ttl=0; detail=stale-if-error", Assert.Single(stale.Headers.GetValues("Cache-Status")));
        Assert.Equal(1 + 1 + 4, network.Sends);
    }

    [Fact]
    public async Task ReadOnlyApi_StaleIfErrorOff_ReturnsTheFailureAndNeverCreatesTheCache()
    {
        var path = _server.Serve("/stale/off", Ok("kept"));
        using var cacheServices = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        var cachesCreated = 0;
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAttempts = 0, services: s => s.AddSingleton(_ =>
        {
            cachesCreated++;
            return cacheServices.GetRequiredService<HybridCache>();
        }));
        (await api.Client.GetAsync(path)).Dispose();
        _server.GoDown(path);

        using var failure = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(0, cachesCreated);
    }

    [Fact]
    public async Task ReadOnlyApi_ApplicationsOwnHybridCache_HoldsTheKeptResponses()
    {
        var path = _server.Serve("/stale/own-cache", Ok("kept"));
        using var cacheServices = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        var cache = cacheServices.GetRequiredService<HybridCache>();
        using var api = Client(retries: 0, services: s => s.AddSingleton(cache));
        (await api.Client.GetAsync(path)).Dispose();

        var kept = await cache.GetOrCreateAsync(StaleCacheKey.For("api", new HttpRequestMessage(HttpMethod.Get, _server.Url + path), IdempotencyKeyOptions.DefaultHeaderName), _ => ValueTask.FromResult<byte[]?>(null));

        Assert.Equal("kept", System.Text.Encoding.UTF8.GetString(StoredResponse.FromBytes(kept)!.Body));
    }

    private static HttpRequestMessage As(string path, string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }

    private PresetClient Client(string preset = ResiliencePresetNames.ReadOnlyApi, string staleIfError = "00:05:00", int? retries = null, Action<IServiceCollection>? services = null, Action<IHttpClientBuilder>? client = null)
    {
        var retry = retries is { } count ? $$""", "Retry": { "MaxRetryAttempts": {{count}} }""" : $", {PresetHost.FastBackoffJson}";
        var json = $$"""{ "ResiliencePresets": { "Clients": { "api": { "Fallback": { "StaleIfError": "{{staleIfError}}" }{{retry}} } } } }""";
        return PresetClient.Create(preset, _server.Url, configure: o => { }, json: json, services: services, client: client);
    }

    // Between the preset and the network: while Down, every attempt fails to connect, as when the host is unreachable.
    private sealed class Network : DelegatingHandler
    {
        private int _sends;

        public bool Down { get; set; }

        public int Sends => _sends;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sends);
            return Down
                ? Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused."))
                : base.SendAsync(request, cancellationToken);
        }
    }
}
