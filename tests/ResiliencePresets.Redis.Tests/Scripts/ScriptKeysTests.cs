using ResiliencePresets.Redis.Tests.Sharing;
using ResiliencePresets.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace ResiliencePresets.Redis.Tests.Scripts;

/// <summary>What the scripts leave in Redis: keys that expire on their own, and no secret of a request.</summary>
public sealed class ScriptKeysTests
{
    [Fact]
    public async Task Keys_WrittenByAPauseAndALease_ExpireOnTheirOwn_AndHoldNoQueryString()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, json: """{ "Shared": { "Timeout": "00:00:01" }, "RateLimit": { "PermitsPerSecond": 5 } }""");
        Assert.Equal("200", await a.GetAsync("/ok"));

        Assert.Equal("429", await a.GetAsync("/limited/20?api_key=sk-secret-123"));
        var keys = SharedPauseTests.Keys("api");
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();
        await Eventually.Value(() => database.KeyExistsAsync(keys.Pause), exists => exists, "the shared pause");

        var pause = await database.KeyTimeToLiveAsync(keys.Pause);
        Assert.InRange(pause!.Value, TimeSpan.FromSeconds(19), TimeSpan.FromSeconds(21));
        Assert.InRange((await database.KeyTimeToLiveAsync(keys.Bucket))!.Value, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(2));
        Assert.InRange((await database.KeyTimeToLiveAsync(keys.Instances))!.Value, TimeSpan.FromMilliseconds(1), SharedClient.Liveness);
        var stored = string.Join('\n', (await database.HashGetAllAsync(keys.Pause)).Select(e => $"{e.Name}={e.Value}"));
        Assert.Contains("/limited/20", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", stored, StringComparison.Ordinal);
        var names = (await redis.AdminAsync()).Keys(pattern: "*").Select(k => k.ToString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { keys.Bucket.ToString(), keys.Instances.ToString(), keys.Pause.ToString() }.Order(StringComparer.Ordinal), names);
    }
}
