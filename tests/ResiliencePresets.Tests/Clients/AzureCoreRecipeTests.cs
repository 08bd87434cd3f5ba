using Azure;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Clients;

/// <summary>
/// The Azure.Core recipe of docs/clients.md: a client built on <c>HttpPipelineBuilder</c> sends through an
/// <see cref="HttpClient"/> from the factory, with <c>Retry.MaxRetries = 0</c>.
/// </summary>
public sealed class AzureCoreRecipeTests : IClassFixture<FlakyServer>
{
    private const string ClientName = "widgets";

    private readonly FlakyServer _server;

    public AzureCoreRecipeTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task RetryAfterMs429_IsHonoredOnceAndNotStacked()
    {
        var path = _server.Respond("/widgets/limited", Status(429, ("x-ms-retry-after-ms", "150")), Status(200));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 4), ResiliencePresetNames.ReadOnlyApi);
        var widgets = host.Services.GetRequiredService<WidgetsClient>();

        using var response = await widgets.GetAsync(path);

        Assert.Equal(200, response.Status);
        Assert.Equal(2, _server.Calls(path));
        Assert.True(_server.Gaps(path)[0] >= TimeSpan.FromMilliseconds(150), $"retried after {_server.Gaps(path)[0]}");
    }

    [Fact]
    public async Task ServerError_IsSentOnlyThePresetsAttempts_TheSdksRetryIsOff()
    {
        var path = _server.Respond("/widgets/down", Status(503));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 2), ResiliencePresetNames.ReadOnlyApi);
        var widgets = host.Services.GetRequiredService<WidgetsClient>();

        var failure = await Assert.ThrowsAsync<RequestFailedException>(() => widgets.GetAsync(path));

        Assert.Equal(503, failure.Status);
        Assert.Equal(3, _server.Calls(path)); // Azure.Core's default 3 retries on top would make 12.
    }

    [Fact]
    public async Task PaymentPost_OneShotRequestContent_CarriesOneKeyAndIsSentByteIdentical()
    {
        var path = _server.Respond("/widgets/orders", Status(503), Status(500), Status(200));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 3), ResiliencePresetNames.PaymentWithIdempotencyKey);
        var widgets = host.Services.GetRequiredService<WidgetsClient>();

        using var response = await widgets.PostAsync(path, new OneShotRequestContent(ForwardOnlyStream.Payload));

        var requests = _server.Requests(path);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, e => Assert.Equal(ForwardOnlyStream.Payload, e.RequestMessage.BodyAsBytes));
        Assert.Single(requests.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
    }

    [Fact]
    public async Task OpenBreaker_ReachesTheCallerAsBrokenCircuitException()
    {
        var path = _server.Respond("/widgets/outage", Status(503));
        using var host = Host(RecipeSettings.QuickBreaker(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var widgets = host.Services.GetRequiredService<WidgetsClient>();
        await Assert.ThrowsAsync<RequestFailedException>(() => widgets.GetAsync(path));
        await Assert.ThrowsAsync<RequestFailedException>(() => widgets.GetAsync(path));

        await Assert.ThrowsAsync<BrokenCircuitException>(() => widgets.GetAsync(path));

        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task PauseLongerThanTheTotalTimeout_ReachesTheCallerAsClientPausedException()
    {
        var path = _server.Respond("/widgets/paused", Status(429, ("x-ms-retry-after-ms", "10000")));
        await ServerWarmUp.SendAsync(_server.Url);
        using var host = Host(RecipeSettings.ShortTotalTimeout(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var widgets = host.Services.GetRequiredService<WidgetsClient>();
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => widgets.GetAsync(path));
        Assert.Equal(429, refused.Status);

        await Assert.ThrowsAsync<ClientPausedException>(() => widgets.GetAsync(path));

        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task TotalTimeout_ReachesTheCallerAsTimeoutRejectedException()
    {
        var path = _server.RespondSlowOnce("/widgets/slow", TimeSpan.FromSeconds(3));
        using var host = Host(RecipeSettings.QuickTotalTimeout(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var widgets = host.Services.GetRequiredService<WidgetsClient>();

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => widgets.GetAsync(path));
    }

    // The recipe, as docs/clients.md shows it.
    private PresetHost Host(string json, string preset) => PresetHost.Create(json, _server.Url, (services, url) =>
    {
        services.AddHttpClient(ClientName).AddResiliencePreset(preset);
        services.AddSingleton(sp =>
        {
            var options = new WidgetsClientOptions
            {
                Transport = new HttpClientTransport(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName)),
            };
            options.Retry.MaxRetries = 0;
            options.Retry.NetworkTimeout = Timeout.InfiniteTimeSpan;
            return new WidgetsClient(new Uri(url), options);
        });
    });
}
