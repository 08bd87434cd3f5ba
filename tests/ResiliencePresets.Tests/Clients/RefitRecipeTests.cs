using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Clients;

/// <summary>The Refit recipe of docs/clients.md: a source-generated Refit client given an explicit HttpClient name.</summary>
public sealed class RefitRecipeTests : IClassFixture<FlakyServer>
{
    private const string ClientName = "items";

    private readonly FlakyServer _server;

    public RefitRecipeTests(FlakyServer server) => _server = server;

    [Fact]
    public void AddRefitGeneratedClient_WithoutName_IsNamedAfterTheGeneratedImplementationNotTheInterface()
    {
        var services = new ServiceCollection();

        var builder = services.AddRefitGeneratedClient<IItemsApi>();

        Assert.NotEqual(nameof(IItemsApi), builder.Name);
        Assert.StartsWith("Refit.Implementation.Generated", builder.Name, StringComparison.Ordinal);
        Assert.Contains("IItemsApi, ResiliencePresets.Tests, Version=", builder.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void AddRefitClient_WithoutTheRefitReflectionPackage_FailsWhenTheClientIsResolved()
    {
        var services = new ServiceCollection();
        services.AddRefitClient<IItemsApi>(new RefitSettings(), httpClientName: ClientName);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<NotSupportedException>(() => provider.GetRequiredService<IItemsApi>());

        Assert.Contains("Refit.Reflection", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientsSettingUnderTheGivenName_AppliesToTheRefitClientsRequests()
    {
        var path = _server.Respond("/items/configured", Status(503));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 1), ResiliencePresetNames.ReadOnlyApi);
        var items = host.Services.GetRequiredService<IItemsApi>();

        var failure = await Assert.ThrowsAsync<ApiException>(() => items.GetItem("configured"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
        Assert.Equal(2, _server.Calls(path)); // ReadOnlyApi's 4 retries would make 5.
    }

    [Fact]
    public async Task RetryAfterMs429_IsHonoredOnceAndNotStacked()
    {
        var path = _server.Respond("/items/limited", Status(429, ("retry-after-ms", "150")), Status(200));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 4), ResiliencePresetNames.ReadOnlyApi);
        var items = host.Services.GetRequiredService<IItemsApi>();

        await items.GetItem("limited");

        Assert.Equal(2, _server.Calls(path));
        Assert.True(_server.Gaps(path)[0] >= TimeSpan.FromMilliseconds(150), $"retried after {_server.Gaps(path)[0]}");
    }

    [Fact]
    public async Task ServerError_IsSentOnlyThePresetsAttempts()
    {
        var path = _server.Respond("/items/down", Status(503));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 2), ResiliencePresetNames.ReadOnlyApi);
        var items = host.Services.GetRequiredService<IItemsApi>();

        await Assert.ThrowsAsync<ApiException>(() => items.GetItem("down"));

        Assert.Equal(3, _server.Calls(path));
    }

    [Fact]
    public async Task PaymentPost_JsonBody_CarriesOneKeyAndTheSameBytesOnEveryAttempt()
    {
        var path = _server.Respond("/charges", Status(503), Status(502), Status(200));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 3), ResiliencePresetNames.PaymentWithIdempotencyKey);
        var items = host.Services.GetRequiredService<IItemsApi>();

        await items.Charge(new ItemCharge(100, "EUR"));

        var requests = _server.Requests(path);
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
        Assert.All(requests, e => Assert.Equal("""{"amount":100,"currency":"EUR"}""", e.RequestMessage.Body));
    }

    [Fact]
    public async Task PaymentPost_OneShotStreamBody_IsBufferedAndSentByteIdentical()
    {
        var path = _server.Respond("/uploads", Status(503), Status(200));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 3), ResiliencePresetNames.PaymentWithIdempotencyKey);
        var items = host.Services.GetRequiredService<IItemsApi>();

        await items.Upload(new ForwardOnlyStream(ForwardOnlyStream.Payload));

        var requests = _server.Requests(path);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, e => Assert.Equal(ForwardOnlyStream.Payload, e.RequestMessage.BodyAsBytes));
        Assert.Single(requests.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
    }

    [Fact]
    public async Task OpenBreaker_ReachesTheCallerAsApiRequestExceptionAroundBrokenCircuitException()
    {
        var path = _server.Respond("/items/outage", Status(503));
        using var host = Host(RecipeSettings.QuickBreaker(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var items = host.Services.GetRequiredService<IItemsApi>();
        await Assert.ThrowsAsync<ApiException>(() => items.GetItem("outage"));
        await Assert.ThrowsAsync<ApiException>(() => items.GetItem("outage"));

        var failure = await Assert.ThrowsAsync<ApiRequestException>(() => items.GetItem("outage"));

        Assert.IsType<BrokenCircuitException>(failure.InnerException);
        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task PauseLongerThanTheTotalTimeout_ReachesTheCallerAsApiRequestExceptionAroundClientPausedException()
    {
        var path = _server.Respond("/items/paused", Status(429, ("retry-after-ms", "10000")));
        await ServerWarmUp.SendAsync(_server.Url);
        using var host = Host(RecipeSettings.ShortTotalTimeout(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var items = host.Services.GetRequiredService<IItemsApi>();
        var refused = await Assert.ThrowsAsync<ApiException>(() => items.GetItem("paused"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        var failure = await Assert.ThrowsAsync<ApiRequestException>(() => items.GetItem("paused"));

        Assert.IsType<ClientPausedException>(failure.InnerException);
        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task TotalTimeout_ReachesTheCallerAsApiRequestExceptionAroundTimeoutRejectedException()
    {
        _server.RespondSlowOnce("/items/slow", TimeSpan.FromSeconds(3));
        using var host = Host(RecipeSettings.QuickTotalTimeout(ClientName), ResiliencePresetNames.ReadOnlyApi);
        var items = host.Services.GetRequiredService<IItemsApi>();

        var failure = await Assert.ThrowsAsync<ApiRequestException>(() => items.GetItem("slow"));

        Assert.IsType<TimeoutRejectedException>(failure.InnerException);
    }

    [Fact]
    public async Task CallerCancellation_ReachesTheCallerUnwrapped()
    {
        _server.RespondSlowOnce("/items/cancelled", TimeSpan.FromSeconds(3));
        using var host = Host(RecipeSettings.Client(ClientName, retries: 1), ResiliencePresetNames.ReadOnlyApi);
        var items = host.Services.GetRequiredService<IItemsApi>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var failure = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => items.GetItem("cancelled", cancel.Token));

        Assert.Equal(cancel.Token, failure.CancellationToken);
    }

    // The recipe, as docs/clients.md shows it.
    private PresetHost Host(string json, string preset) => PresetHost.Create(json, _server.Url, (services, url) =>
    {
        services.AddRefitGeneratedClient<IItemsApi>(ItemsJsonContext.Default, _ => new RefitSettings(), httpClientName: ClientName)
            .ConfigureHttpClient(c => c.BaseAddress = new Uri(url))
            .AddResiliencePreset(preset);
    });
}
