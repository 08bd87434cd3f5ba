using ResiliencePresets.Redis.Tests.Sharing;
using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Redis.Tests.Bucket;

/// <summary>
/// A configured <c>RateLimit</c> bucket shared by two instances through a real redis-server: one bucket for both.
/// </summary>
public sealed class SharedTokenBucketTests
{
    // One permit per 1,000 s and a bucket of 4: nothing refills during a test, so the counts are exact.
    private const string FourPermits = """{ "Shared": { "Key": "one-account", "Timeout": "00:00:01" }, "RateLimit": { "PermitsPerSecond": 0.001, "Burst": 4, "QueueLimit": 0 } }""";

    [Fact]
    public async Task Bucket_TwoInstancesOfOneKey_DrawFromOneBucket()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, "a", FourPermits);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, "b", FourPermits);
        await a.ConnectedAsync();
        await b.ConnectedAsync();

        string[] outcomes =
        [
            await a.GetAsync("/ok"), await a.GetAsync("/ok"), await a.GetAsync("/ok"), await b.GetAsync("/ok"),
            await b.GetAsync("/ok"), await a.GetAsync("/ok"),
        ];

        Assert.Equal(["200", "200", "200", "200", "rejected", "rejected"], outcomes);
        Assert.Equal(4, api.Received("/ok"));
    }

    [Fact]
    public async Task Bucket_AnotherKey_HasABucketOfItsOwn()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, "a", FourPermits);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, "b", FourPermits.Replace("one-account", "another-account", StringComparison.Ordinal));
        await a.ConnectedAsync();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("200", await a.GetAsync("/ok"));
        }

        Assert.Equal("rejected", await a.GetAsync("/ok"));
        Assert.Equal("200", await b.GetAsync("/ok"));
    }

    [Fact]
    public async Task Bucket_WhileItLimits_CostsAtMostOneRoundTripPerAttempt()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();

        // 50 permits a second with a bucket of 5: most of the 60 requests wait for a permit; both instances run at once.
        // A generous Shared:Timeout: what is counted is round trips, and a call slowed past a short timeout by a busy
        // machine would fall back to local state and count none.
        const string json = """{ "Shared": { "Timeout": "00:00:03" }, "RateLimit": { "PermitsPerSecond": 50, "Burst": 5 } }""";
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, json: json);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, json: json);
        await SharedPauseTests.BothJoined(redis, a, b);
        var before = await redis.ScriptCallsAsync();
        long Counted() => a.Count("resiliencepresets.shared.round_trips:lease") + b.Count("resiliencepresets.shared.round_trips:lease");
        var countedBefore = Counted();
        long FellBack() => a.Count("resiliencepresets.shared.fallbacks") + b.Count("resiliencepresets.shared.fallbacks");
        var fellBackBefore = FellBack();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).SelectMany(_ => (SharedHost[])[a, b]).Select(host => host.GetAsync("/ok")));

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        var leases = await redis.ScriptCallsAsync() - before;
        Assert.InRange(leases, 1, 60);
        Assert.Equal(leases, Counted() - countedBefore);
        Assert.True(FellBack() == fellBackBefore, $"Fell back to local state: a {a.Fallbacks}; b {b.Fallbacks}.");
    }

    [Fact]
    public async Task Bucket_OneRequestAfterAnother_LeasesInBatchesThatGrowWithUse()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();

        // 1,000 permits a second: a batch of up to 100; one request at a time is one waiter at a time.
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, json: """{ "Shared": { "Timeout": "00:00:03" }, "RateLimit": { "PermitsPerSecond": 1000, "Burst": 1000 } }""");
        await a.ConnectedAsync();
        var before = await redis.ScriptCallsAsync();
        var fellBackBefore = a.Count("resiliencepresets.shared.fallbacks");

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal("200", await a.GetAsync("/ok"));
        }

        // Leases of 1, 2, 4, 8, 16 and 32 permits: 6 round trips, not 40 (a sync the joining started may add one).
        Assert.InRange(await redis.ScriptCallsAsync() - before, 1, 7);
        Assert.True(a.Count("resiliencepresets.shared.fallbacks") == fellBackBefore, $"Fell back to local state: {a.Fallbacks}.");
    }
}
