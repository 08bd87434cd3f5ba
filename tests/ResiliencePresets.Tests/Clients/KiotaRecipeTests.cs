using Microsoft.Extensions.DependencyInjection;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Clients;

/// <summary>
/// The Kiota recipe of docs/clients.md: Kiota's default handlers but its <see cref="RetryHandler"/>, then the preset,
/// on an <see cref="HttpClient"/> from the factory that an <see cref="HttpClientRequestAdapter"/> sends through.
/// </summary>
public sealed class KiotaRecipeTests : IClassFixture<FlakyServer>
{
    private const string ClientName = "kiota-api";

    private readonly FlakyServer _server;

    public KiotaRecipeTests(FlakyServer server) => _server = server;

    [Fact]
    public void RecipeHandlers_AreKiotasDefaultsWithoutItsRetryHandler()
    {
        var defaults = KiotaClientFactory.GetDefaultHandlerActivatableTypes().Select(t => t.Type).ToList();

        Assert.Contains(typeof(RetryHandler), defaults);
        Assert.Equal(defaults.Where(t => t != typeof(RetryHandler)), KiotaHandlersWithoutRetry());
    }

    [Fact]
    public async Task RetryAfterMs429_IsHonoredOnceAndNotStacked()
    {
        var path = _server.Respond("/kiota/limited", Status(429, ("retry-after-ms", "150")), Status(200));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 4), ResiliencePresetNames.ReadOnlyApi);
        var adapter = host.Services.GetRequiredService<IRequestAdapter>();

        await adapter.SendNoContentAsync(Get(path));

        Assert.Equal(2, _server.Calls(path));
        Assert.True(_server.Gaps(path)[0] >= TimeSpan.FromMilliseconds(150), $"retried after {_server.Gaps(path)[0]}");
    }

    [Fact]
    public async Task ServerError_IsSentOnlyThePresetsAttempts_KiotasRetryIsOff()
    {
        var path = _server.Respond("/kiota/down", Status(503));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 2), ResiliencePresetNames.ReadOnlyApi);
        var adapter = host.Services.GetRequiredService<IRequestAdapter>();

        var failure = await Assert.ThrowsAsync<ApiException>(() => adapter.SendNoContentAsync(Get(path)));

        Assert.Equal(503, failure.ResponseStatusCode);
        Assert.Equal(3, _server.Calls(path)); // Kiota's RetryHandler (3 retries) on top would make 12.
    }

    [Fact]
    public async Task PaymentPost_OneShotStreamContent_CarriesOneKeyAndIsSentByteIdentical()
    {
        var path = _server.Respond("/kiota/orders", Status(503), Status(500), Status(200));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 3), ResiliencePresetNames.PaymentWithIdempotencyKey);
        var adapter = host.Services.GetRequiredService<IRequestAdapter>();
        var request = new RequestInformation { HttpMethod = Method.POST, URI = new Uri($"{_server.Url}{path}") };
        request.SetStreamContent(new ForwardOnlyStream(ForwardOnlyStream.Payload), "application/octet-stream");

        await adapter.SendNoContentAsync(request);

        var requests = _server.Requests(path);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, e => Assert.Equal(ForwardOnlyStream.Payload, e.RequestMessage.BodyAsBytes));
        Assert.Single(requests.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
    }

    [Fact]
    public async Task OpenBreaker_ReachesTheCallerAsBrokenCircuitException()
    {
        var path = _server.Respond("/kiota/outage", Status(503));
        using var host = Host(RecipeSettings.QuickBreaker(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var adapter = host.Services.GetRequiredService<IRequestAdapter>();
        await Assert.ThrowsAsync<ApiException>(() => adapter.SendNoContentAsync(Get(path)));
        await Assert.ThrowsAsync<ApiException>(() => adapter.SendNoContentAsync(Get(path)));

        await Assert.ThrowsAsync<BrokenCircuitException>(() => adapter.SendNoContentAsync(Get(path)));

        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task PauseLongerThanTheTotalTimeout_ReachesTheCallerAsClientPausedException()
    {
        var path = _server.Respond("/kiota/paused", Status(429, ("retry-after-ms", "10000")));
        await ServerWarmUp.SendAsync(_server.Url);
        using var host = Host(RecipeSettings.ShortTotalTimeout(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var adapter = host.Services.GetRequiredService<IRequestAdapter>();
        var refused = await Assert.ThrowsAsync<ApiException>(() => adapter.SendNoContentAsync(Get(path)));
        Assert.Equal(429, refused.ResponseStatusCode);

        await Assert.ThrowsAsync<ClientPausedException>(() => adapter.SendNoContentAsync(Get(path)));

        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task TotalTimeout_ReachesTheCallerAsTimeoutRejectedException()
    {
        var path = _server.RespondSlowOnce("/kiota/slow", TimeSpan.FromSeconds(3));
        using var host = Host(RecipeSettings.QuickTotalTimeout(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var adapter = host.Services.GetRequiredService<IRequestAdapter>();

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => adapter.SendNoContentAsync(Get(path)));
    }

    // The handler list of the recipe: Kiota's defaults, in their order, without RetryHandler.
    private static IEnumerable<Type> KiotaHandlersWithoutRetry()
        => KiotaClientFactory.GetDefaultHandlerActivatableTypes().Select(t => t.Type).Where(t => t != typeof(RetryHandler));

    private RequestInformation Get(string path) => new() { HttpMethod = Method.GET, URI = new Uri($"{_server.Url}{path}") };

    // The recipe, as docs/clients.md shows it.
    private PresetHost Host(string json, string preset) => PresetHost.Create(json, _server.Url, (services, url) =>
    {
        var client = services.AddHttpClient(ClientName);
        foreach (var type in KiotaHandlersWithoutRetry())
        {
            services.AddTransient(type);
            client.AddHttpMessageHandler(sp => (DelegatingHandler)sp.GetRequiredService(type));
        }

        client.AddResiliencePreset(preset);
        services.AddTransient<IRequestAdapter>(sp => new HttpClientRequestAdapter(
            new AnonymousAuthenticationProvider(),
            httpClient: sp.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName))
        {
            BaseUrl = url,
        });
    });
}
