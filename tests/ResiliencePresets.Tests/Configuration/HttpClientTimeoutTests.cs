using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Configuration;

public sealed class HttpClientTimeoutTests
{
    private const string Url = "http://localhost/";

    [Fact]
    public void PaymentWithIdempotencyKey_TotalTimeoutOfTwoMinutes_IsNotCutAtHttpClientsDefault100Seconds()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, Url);

        Assert.Equal(Timeout.InfiniteTimeSpan, api.Client.Timeout);
    }

    [Fact]
    public void AddResiliencePreset_TimeoutSetByTheCallerBefore_IsKept()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, Url, services: s =>
            s.ConfigureHttpClientDefaults(c => c.ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(7))));

        Assert.Equal(TimeSpan.FromSeconds(7), api.Client.Timeout);
    }

    [Fact]
    public void AddResiliencePreset_TimeoutSetByTheCallerAfter_IsKept()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, Url, client: c =>
            c.ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(100)));

        Assert.Equal(TimeSpan.FromSeconds(100), api.Client.Timeout);
    }

    [Fact]
    public void AddResiliencePreset_ForEveryClient_TurnsOffTheDefaultTimeoutOfEach()
    {
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(c => c.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));
        services.AddHttpClient("github");
        using var provider = services.BuildServiceProvider();

        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("github");

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }
}
