using System.Globalization;
using ResiliencePresets.Redis.Tests.Sharing;
using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Redis.Tests.Processes;

/// <summary>
/// Sharing across two processes: this one and a peer process started by the test, through one real redis-server.
/// </summary>
public sealed class TwoProcessTests
{
    [Fact]
    public async Task TwoProcesses_429InThisProcess_PausesThePeer()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var host = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var peer = await PeerProcess.StartAsync("--redis", redis.Configuration, "--url", api.Url);
        await Joined(redis, host, peer);

        Assert.Equal("429", await host.GetAsync("/limited/20"));

        Assert.InRange(double.Parse(await peer.SendAsync("wait-pause"), CultureInfo.InvariantCulture), 18_000, 20_500);
        Assert.StartsWith("paused ", await peer.SendAsync("get /ok"), StringComparison.Ordinal);
        Assert.Equal(2, api.Received("/ok"));
    }

    [Fact]
    public async Task TwoProcesses_429InAPeerWhoseClockIsFortySecondsAhead_PausesThisProcessUntilTheSameInstant()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var host = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var peer = await PeerProcess.StartAsync("--redis", redis.Configuration, "--url", api.Url, "--skew-seconds", "40");
        await Joined(redis, host, peer);

        Assert.Equal("429", await peer.SendAsync("get /limited/20"));
        var learned = await Eventually.Value(() => host.PauseLeft, left => left > TimeSpan.Zero, "the pause notice");

        Assert.InRange(learned, TimeSpan.FromSeconds(18), TimeSpan.FromSeconds(20.5));
        Assert.InRange(double.Parse(await peer.SendAsync("pause"), CultureInfo.InvariantCulture), 18_000, 20_500);
        SharedHost.AssertPaused(20, await host.GetAsync("/ok"));
    }

    [Fact]
    public async Task TwoProcesses_SharedBucket_IsOneBucket()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var host = SharedHost.Start(SharedHost.Through(redis), api.Url, "a",
            """{ "Shared": { "Key": "one-account", "Timeout": "00:00:01" }, "RateLimit": { "PermitsPerSecond": 0.001, "Burst": 4, "QueueLimit": 0 } }""");
        await using var peer = await PeerProcess.StartAsync("--redis", redis.Configuration, "--url", api.Url, "--key", "one-account",
            "--permits-per-second", "0.001", "--burst", "4", "--queue-limit", "0");
        await host.ConnectedAsync();

        string[] outcomes =
        [
            await host.GetAsync("/ok"), await host.GetAsync("/ok"), await peer.SendAsync("get /ok"), await host.GetAsync("/ok"),
            await peer.SendAsync("get /ok"), await host.GetAsync("/ok"),
        ];

        Assert.Equal(["200", "200", "200", "200", "rejected", "rejected"], outcomes);
        Assert.Equal(4, api.Received("/ok"));
    }

    [Fact]
    public async Task TwoProcesses_AfterARateSignal_SendTogetherAtTheQuotasRate()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var host = SharedHost.Start(SharedHost.Through(redis), api.Url, "a", """{ "Shared": { "Key": "one-account", "Timeout": "00:00:01" } }""");
        await using var peer = await PeerProcess.StartAsync("--redis", redis.Configuration, "--url", api.Url, "--key", "one-account");
        await host.ConnectedAsync();
        Assert.Equal("429", await host.GetAsync("/throttle"));
        Assert.Equal("200", await host.GetAsync("/quota"));
        Assert.Equal("429", await peer.SendAsync("get /throttle"));
        Assert.Equal("200", await peer.SendAsync("get /quota"));

        var here = Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.GetAsync("/quota")));
        var there = await peer.SendAsync("burst 20 /quota");

        Assert.All(await here, outcome => Assert.Equal("200", outcome));
        Assert.All(there.Split(','), outcome => Assert.Equal("200", outcome));
        SharedLearnedRateTests.AssertAtMostTheQuotasRate(api);
    }

    [Fact]
    public async Task TwoProcesses_NeverThrottled_SendTogetherAtTheQuotasPace()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var host = SharedHost.Start(SharedHost.Through(redis), api.Url, "a", """{ "Shared": { "Key": "one-account", "Timeout": "00:00:01" } }""");
        await using var peer = await PeerProcess.StartAsync("--redis", redis.Configuration, "--url", api.Url, "--key", "one-account");
        await host.ConnectedAsync();
        Assert.Equal("200", await host.GetAsync("/quota"));
        Assert.Equal("200", await peer.SendAsync("get /quota"));

        var here = Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.GetAsync("/quota")));
        var there = await peer.SendAsync("burst 20 /quota");

        Assert.All(await here, outcome => Assert.Equal("200", outcome));
        Assert.All(there.Split(','), outcome => Assert.Equal("200", outcome));
        Assert.Equal(0, api.Received("/throttle"));
        SharedLearnedRateTests.AssertAtMostTheQuotasRate(api);
    }

    private static async Task Joined(RedisServer redis, SharedHost host, PeerProcess peer)
    {
        Assert.Equal("200", await host.GetAsync("/ok"));
        Assert.Equal("200", await peer.SendAsync("get /ok"));
        await Eventually.Value(() => redis.SubscribersAsync(SharedPauseTests.Keys("api").Channel), count => count == 2, "both subscriptions");
    }
}
