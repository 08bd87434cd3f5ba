using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Configuration;

public sealed class AddResiliencePresetTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public AddResiliencePresetTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task WithoutAddResiliencePresets_TheBuiltInDefaultsApply()
    {
        var path = _server.Respond("/builder/defaults", Status(503));
        var services = new ServiceCollection();
        services.AddHttpClient("api", c => c.BaseAddress = new Uri(_server.Url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, PresetClient.FastBackoff);
        using var provider = services.BuildServiceProvider();

        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1 + 4, _server.Calls(path));
    }

    [Fact]
    public void WithoutAddResiliencePresets_AnUnknownPresetFailsWhenTheClientIsCreated()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("api").AddResiliencePreset("ReadOnlyAPI");
        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<OptionsValidationException>(() => provider.GetRequiredService<IHttpClientFactory>().CreateClient("api"));

        Assert.Equal(
            "The resilience preset 'ReadOnlyAPI' is not known. Known presets: ReadOnlyApi, IdempotentWrite, PaymentWithIdempotencyKey. "
            + "Names are case-sensitive; a new preset is defined under ResiliencePresets:Presets with BasedOn.",
            Assert.Single(error.Failures));
    }

    [Fact]
    public async Task DefaultsForEveryClient_AndOneClientWithItsOwnPreset_EachClientRunsExactlyOnePreset()
    {
        var get = _server.Respond("/builder/defaults-get", Status(503));
        var post = _server.Respond("/builder/own-post", Status(503));
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(c => c.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, PresetClient.FastBackoff));
        services.AddHttpClient("plain", c => c.BaseAddress = new Uri(_server.Url));
        services.AddHttpClient("payments", c => c.BaseAddress = new Uri(_server.Url))
            .AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey, PresetClient.FastBackoff);
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using var plain = await factory.CreateClient("plain").GetAsync(get);
        using var payment = await factory.CreateClient("payments").PostAsync(post, new StringContent("{}"));

        // ReadOnlyApi: 1 + 4 attempts. PaymentWithIdempotencyKey: 1 + 3, one key. Two stacked presets would multiply these.
        Assert.Equal(5, _server.Calls(get));
        Assert.Equal(4, _server.Calls(post));
        Assert.Single(_server.Requests(post).Select(r => r.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
    }

    [Fact]
    public async Task CircuitBreaker_IsPerClient_AnOpenBreakerLeavesOtherClientsAlone()
    {
        var down = _server.Respond("/builder/breaker-down", Status(503));
        var up = _server.Respond("/builder/breaker-up", Status(200));
        var services = new ServiceCollection();
        foreach (var name in new[] { "failing", "healthy" })
        {
            services.AddHttpClient(name, c => c.BaseAddress = new Uri(_server.Url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o =>
            {
                o.Retry.MaxRetryAttempts = 0;
                o.CircuitBreaker.MinimumThroughput = 2;
                o.CircuitBreaker.BreakDuration = TimeSpan.FromMinutes(1);
            });
        }

        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();
        for (var i = 0; i < 2; i++)
        {
            using var failed = await factory.CreateClient("failing").GetAsync(down);
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => factory.CreateClient("failing").GetAsync(up));
        using var healthy = await factory.CreateClient("healthy").GetAsync(up);

        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(1, _server.Calls(up));
    }

    [Fact]
    public void NullAndEmptyArguments_AreRejected()
    {
        var builder = new ServiceCollection().AddHttpClient("api");

        Assert.Throws<ArgumentNullException>(() => ((IHttpClientBuilder)null!).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));
        Assert.Throws<ArgumentNullException>(() => builder.AddResiliencePreset(null!));
        Assert.Throws<ArgumentException>(() => builder.AddResiliencePreset(string.Empty));
        Assert.Throws<ArgumentNullException>(() => builder.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, null!));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddResiliencePresets(null!));
    }
}
