using Microsoft.Extensions.Time.Testing;
using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Redis.Tests.Sharing;

/// <summary>
/// The pace a quota sets before any rate signal, shared by two instances through a real redis-server: the API answers
/// every request with a quota of 40 requests per 2 s for the one account both instances call, and together they send
/// at 20 a second, not each at 20; the pace costs a round trip only while a quota's window lasts.
/// </summary>
public sealed class SharedQuotaPaceTests
{
    private const string OneAccount = """{ "Shared": { "Key": "one-account", "Timeout": "00:00:00.500" } }""";

    [Fact]
    public async Task QuotaPace_TwoInstancesNeverThrottled_SendTogetherAtTheQuotasRate()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, "a", OneAccount);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, "b", OneAccount);
        await Paced(a, b);
        long Leases() => a.Count("resiliencepresets.shared.round_trips:lease") + b.Count("resiliencepresets.shared.round_trips:lease");
        var leasesBefore = Leases();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).SelectMany(_ => (SharedHost[])[a, b]).Select(host => host.GetAsync("/quota")));

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        SharedLearnedRateTests.AssertAtMostTheQuotasRate(api);
        Assert.InRange(Leases() - leasesBefore, 1, outcomes.Length);
        Assert.Equal(0, api.Received("/throttle"));
    }

    [Fact]
    public async Task QuotaPace_RedisStoppedMidRun_NoRequestFails()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url, "a", OneAccount);
        await using var b = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url, "b", OneAccount);
        await Paced(a, b);

        var running = Enumerable.Range(0, 10).SelectMany(_ => (SharedHost[])[a, b]).Select(host => host.GetAsync("/quota")).ToArray();
        await redis.StopAsync();
        var outcomes = await Task.WhenAll(running.Concat(Enumerable.Range(0, 10).SelectMany(_ => (SharedHost[])[a, b]).Select(host => host.GetAsync("/quota"))));

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        Assert.True(a.Count("resiliencepresets.shared.fallbacks:lease") + b.Count("resiliencepresets.shared.fallbacks:lease") > 0, "The quota's pace did not fall back to local permits.");
    }

    [Fact]
    public async Task QuotaPace_OnceTheQuotasWindowEnded_CostsNoRoundTrip()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = SharedHost.Start(SharedHost.Through(redis), api.Url, "a", OneAccount, time: time);
        await host.ConnectedAsync();
        Assert.Equal("200", await host.GetAsync("/quota"));
        Assert.Equal("200", await host.GetAsync("/ok"));
        var leasesInTheWindow = host.Count("resiliencepresets.shared.round_trips:lease");

        // The quota named a 2 s window; past it, the client is held to no rate.
        time.Advance(TimeSpan.FromSeconds(3));
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("200", await host.GetAsync("/ok"));
        }

        Assert.Equal(1, leasesInTheWindow);
        Assert.Equal(leasesInTheWindow, host.Count("resiliencepresets.shared.round_trips:lease"));
    }

    // One answer with the quota sets each instance's pace; neither meets a rate signal.
    private static async Task Paced(SharedHost a, SharedHost b)
    {
        await a.ConnectedAsync();
        await b.ConnectedAsync();
        Assert.Equal("200", await a.GetAsync("/quota"));
        Assert.Equal("200", await b.GetAsync("/quota"));
    }
}
