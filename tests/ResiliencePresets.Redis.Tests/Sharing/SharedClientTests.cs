using Microsoft.Extensions.Logging.Abstractions;
using ResiliencePresets.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace ResiliencePresets.Redis.Tests.Sharing;

/// <summary>
/// How many instances share a key, as one instance counts them through a real redis-server: every instance that joins
/// counts before it ever leases, and a Redis that restarted empty does not make the count fall before the instances
/// it counted have been silent for the liveness window.
/// </summary>
public sealed class SharedClientTests
{
    [Fact]
    public async Task Instances_TwoInstancesJoin_BothCountBeforeEitherLeases()
    {
        await using var redis = await RedisServer.StartAsync();
        using var a = Member(redis, "a");
        using var b = Member(redis, "b");

        await SyncInTurn(a, b);

        Assert.Equal(2, a.Shared.Instances);
        Assert.Equal(2, b.Shared.Instances);
    }

    [Fact]
    public async Task Instances_RedisEmptiedAfterARestart_KeepsTheCountOfTheLivenessWindow()
    {
        await using var redis = await RedisServer.StartAsync();
        using var a = Member(redis, "a");
        using var b = Member(redis, "b");
        await SyncInTurn(a, b);

        await (await redis.AdminAsync()).FlushAllDatabasesAsync();
        await a.Shared.SyncAsync();

        Assert.Equal(2, a.Shared.Instances);
    }

    // a, then b, then a again: the first to join learns of the second only at its next call.
    private static async Task SyncInTurn(MemberOfKey a, MemberOfKey b)
    {
        await a.Shared.SyncAsync();
        await b.Shared.SyncAsync();
        await a.Shared.SyncAsync();
    }

    private static MemberOfKey Member(RedisServer redis, string instance)
    {
        var connection = new RedisConnection(() => ConnectionMultiplexer.Connect(redis.Configuration), owned: true, TimeProvider.System, NullLogger.Instance, new SharedMetrics());
        var shared = new SharedClient(new SharedKeys("test", "instances"), connection, TimeProvider.System, instance);
        var client = new ClientRuntime();

        // Joining starts the first sync, and sets the timeout every call to Redis has (long: a busy machine is slow).
        shared.Join(client, TimeSpan.FromSeconds(5));
        return new MemberOfKey(shared, connection, client);
    }

    private sealed record MemberOfKey(SharedClient Shared, RedisConnection Connection, ClientRuntime Client) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Connection.Dispose();
        }
    }
}
