using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using ResiliencePresets.Demo.Workload;

namespace ResiliencePresets.Tests.Demo;

/// <summary>How the demo registers its clients: one per API in every setup, and the standard handler's jitter seeded.</summary>
public sealed class DemoClientsTests
{
    [Fact]
    public void ClientSetup_EveryApi_HasAClientOfItsOwn()
    {
        var setup = ClientSetupCatalog.Create(DemoConfiguration.Load().GetSection(DemoConfiguration.SectionName)).Single(s => s.Name == ResiliencePresetNames.ReadOnlyApi);

        Assert.Equal(Enum.GetValues<DemoApi>().Length, setup.ClientNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal("ReadOnlyApi-openai", setup.ClientName(RequestPlan.ApiOf(DemoEndpoint.ChatCompletion)));
        Assert.Equal(setup.ClientName(DemoApi.GitHub), setup.ClientName(RequestPlan.ApiOf(DemoEndpoint.MissingRepository)));
        Assert.Equal(Enum.GetValues<DemoApi>().Order(), Enum.GetValues<DemoEndpoint>().Select(RequestPlan.ApiOf).Distinct().Order());
    }

    [Fact]
    public void StandardSetup_JitterSourceGiven_PollysRetryRandomizerDrawsTheSeedsSequence()
    {
        var standard = ClientSetupCatalog.Create(DemoConfiguration.Load().GetSection(DemoConfiguration.SectionName), new JitterSource(11))
            .Single(s => s.Name == ClientSetupCatalog.Standard);
        var services = new ServiceCollection();
        var client = services.AddHttpClient("seeded");
        standard.Configure(client);
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get("seeded-standard");

#pragma warning disable CA5394 // The expected sequence of a seeded generator.
        var random = new Random(11);
        Assert.Equal(Enumerable.Range(0, 4).Select(_ => random.NextDouble()), Enumerable.Range(0, 4).Select(_ => options.Retry.Randomizer()));
#pragma warning restore CA5394
    }
}
