using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Clients;

/// <summary>The typed-client recipe of docs/clients.md: <c>AddHttpClient&lt;T&gt;()</c>, configured under the type's name.</summary>
public sealed class TypedClientRecipeTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public TypedClientRecipeTests(FlakyServer server) => _server = server;

    [Fact]
    public void AddHttpClientOfT_IsNamedAfterTheTypeWithoutItsNamespace()
    {
        var builder = new ServiceCollection().AddHttpClient<OrdersClient>();

        Assert.Equal(nameof(OrdersClient), builder.Name);
    }

    [Fact]
    public async Task ClientsSettingUnderTheTypeName_AppliesToTheTypedClientsRequests()
    {
        var path = _server.Respond("/orders/configured", Status(503));
        using var host = Host(RecipeSettings.Client(nameof(OrdersClient), retries: 1), ResiliencePresetNames.ReadOnlyApi);
        var orders = host.Services.GetRequiredService<OrdersClient>();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => orders.GetOrderAsync("configured"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(2, _server.Calls(path)); // ReadOnlyApi's 4 retries would make 5.
    }

    [Fact]
    public async Task RetryAfterMs429_IsHonoredOnce()
    {
        var path = _server.Respond("/orders/limited", Status(429, ("retry-after-ms", "150")), Status(200));
        using var host = Host(RecipeSettings.Client(nameof(OrdersClient), retries: 4), ResiliencePresetNames.ReadOnlyApi);
        var orders = host.Services.GetRequiredService<OrdersClient>();

        await orders.GetOrderAsync("limited");

        Assert.Equal(2, _server.Calls(path));
        Assert.True(_server.Gaps(path)[0] >= TimeSpan.FromMilliseconds(150), $"retried after {_server.Gaps(path)[0]}");
    }

    [Fact]
    public async Task PaymentPost_OneShotStreamBody_CarriesOneKeyAndIsSentByteIdentical()
    {
        var path = _server.Respond("/orders", Status(503), Status(500), Status(200));
        using var host = Host(RecipeSettings.Client(nameof(OrdersClient), retries: 3), ResiliencePresetNames.PaymentWithIdempotencyKey);
        var orders = host.Services.GetRequiredService<OrdersClient>();

        await orders.PlaceOrderAsync(new ForwardOnlyStream(ForwardOnlyStream.Payload));

        var requests = _server.Requests(path);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, e => Assert.Equal(ForwardOnlyStream.Payload, e.RequestMessage.BodyAsBytes));
        Assert.Single(requests.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
    }

    [Fact]
    public async Task OpenBreaker_ReachesTheCallerAsBrokenCircuitException()
    {
        var path = _server.Respond("/orders/outage", Status(503));
        using var host = Host(RecipeSettings.QuickBreaker(nameof(OrdersClient)), ResiliencePresetNames.ReadOnlyApi);
        var orders = host.Services.GetRequiredService<OrdersClient>();
        await Assert.ThrowsAsync<HttpRequestException>(() => orders.GetOrderAsync("outage"));
        await Assert.ThrowsAsync<HttpRequestException>(() => orders.GetOrderAsync("outage"));

        await Assert.ThrowsAsync<BrokenCircuitException>(() => orders.GetOrderAsync("outage"));

        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task PauseLongerThanTheTotalTimeout_ReachesTheCallerAsClientPausedException()
    {
        var path = _server.Respond("/orders/paused", Status(429, ("retry-after-ms", "10000")));
        await ServerWarmUp.SendAsync(_server.Url);
        using var host = Host(RecipeSettings.ShortTotalTimeout(nameof(OrdersClient)), ResiliencePresetNames.ReadOnlyApi);
        var orders = host.Services.GetRequiredService<OrdersClient>();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => orders.GetOrderAsync("paused"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        await Assert.ThrowsAsync<ClientPausedException>(() => orders.GetOrderAsync("paused"));

        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task TotalTimeout_ReachesTheCallerAsTimeoutRejectedException()
    {
        _server.RespondSlowOnce("/orders/slow", TimeSpan.FromSeconds(3));
        using var host = Host(RecipeSettings.QuickTotalTimeout(nameof(OrdersClient)), ResiliencePresetNames.ReadOnlyApi);
        var orders = host.Services.GetRequiredService<OrdersClient>();

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => orders.GetOrderAsync("slow"));
    }

    // The recipe, as docs/clients.md shows it.
    private PresetHost Host(string json, string preset) => PresetHost.Create(json, _server.Url, (services, url) =>
        services.AddHttpClient<OrdersClient>(c => c.BaseAddress = new Uri(url)).AddResiliencePreset(preset));
}
