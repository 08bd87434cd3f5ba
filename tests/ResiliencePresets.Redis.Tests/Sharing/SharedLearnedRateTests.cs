using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Redis.Tests.Sharing;

/// <summary>
/// The learned rate shared by two instances through a real redis-server: after a rate signal, the two together send
/// at the rate the server's quota names (20 a second), not twice it, and Redis stopped mid-run fails no request.
/// </summary>
public sealed class SharedLearnedRateTests
{
    private const double QuotaRate = 20;
    private const string Learning = """{ "Shared": { "Key": "one-account", "Timeout": "00:00:00.500" } }""";

    [Fact]
    public async Task LearnedRate_TwoInstancesAfterARateSignal_SendTogetherAtTheQuotasRate()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, "a", Learning);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, "b", Learning);
        await Engage(a, b);
        long Leases() => a.Count("resiliencepresets.shared.round_trips:lease") + b.Count("resiliencepresets.shared.round_trips:lease");
        var leasesBefore = Leases();

        var outcomes = await Task.WhenAll(Burst(a, b));

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        AssertAtMostTheQuotasRate(api);
        Assert.InRange(Leases() - leasesBefore, 1, outcomes.Length);
    }

    [Fact]
    public async Task LearnedRate_RedisStoppedMidRun_NoRequestFails()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url, "a", Learning);
        await using var b = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url, "b", Learning);
        await Engage(a, b);

        // Each instance then sends at half the rate alone (its share): 30 requests each take it 3 s of the 5 s
        // TotalTimeout, so that a busy machine's delays do not make the last of them time out.
        var running = Burst(a, b);
        await redis.StopAsync();
        var outcomes = await Task.WhenAll(running.Concat(Burst(a, b, perInstance: 10)));

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        Assert.True(a.Count("resiliencepresets.shared.fallbacks:lease") + b.Count("resiliencepresets.shared.fallbacks:lease") > 0, "The learned bucket did not fall back to local permits.");
    }

    // A bare 429 engages each instance's learner, and one answer with the quota sets its rate to 20 a second.
    private static async Task Engage(SharedHost a, SharedHost b)
    {
        await a.ConnectedAsync();
        await b.ConnectedAsync();
        foreach (var host in (SharedHost[])[a, b])
        {
            Assert.Equal("429", await host.GetAsync("/throttle"));
            Assert.Equal("200", await host.GetAsync("/quota"));
        }
    }

    private static Task<string>[] Burst(SharedHost a, SharedHost b, int perInstance = 20)
        => [.. Enumerable.Range(0, perInstance).SelectMany(_ => (SharedHost[])[a, b]).Select(host => host.GetAsync("/quota"))];

    // Over the span the server saw them in, the requests came at most at the quota's rate, plus the one token each
    // instance's bucket starts with: each instance alone at 20 a second would have sent twice that.
    internal static void AssertAtMostTheQuotasRate(LimitedApi api)
    {
        var at = api.ReceivedAt("/quota")[2..];
        var span = (at[^1] - at[0]).TotalSeconds;
        Assert.True(at.Length - 1 <= (QuotaRate * span) + 3, $"{at.Length} requests in {span:0.00} s: faster than {QuotaRate} a second.");
    }
}
