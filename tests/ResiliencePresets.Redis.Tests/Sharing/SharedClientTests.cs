using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ResiliencePresets.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace ResiliencePresets.Redis.Tests.Sharing;

/// <summary>
/// How many instances share a key, as one instance counts them through a real redis-server: every instance that joins
/// counts before it ever leases, a Redis that restarted empty does not make the count fall before the instances it
/// counted have been silent for the liveness window, and the first instance back on it does not lease the whole rate
/// alone.
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

    // The first instance back on a Redis that restarted empty would lease alone from a bucket the others do not draw
    // from yet, at the whole rate, while they still send their shares locally: it keeps its share until they are back.
    [Fact]
    public async Task Lease_BackOnAnEmptyRedisBeforeTheOthers_LeasesItsShareLocallyUntilTheyAreBack()
    {
        await using var redis = await RedisServer.StartAsync();
        using var a = Member(redis, "a");
        using var b = Member(redis, "b");
        await SyncInTurn(a, b);
        using var bucket = new SharedTokenBucket(a.Shared, permitsPerSecond: 100, size: 10, queueLimit: 100, TimeProvider.System);

        await (await redis.AdminAsync()).FlushAllDatabasesAsync();
        a.Shared.Restored();
        await a.Shared.SyncAsync();
        var alone = await a.Shared.LeaseAsync(bucket, 5);
        await b.Shared.SyncAsync();
        var seesTheOtherBack = await a.Shared.LeaseAsync(bucket, 5);
        var afterward = await a.Shared.LeaseAsync(bucket, 5);

        Assert.Equal(50, alone.PermitsPerSecond, 6);
        Assert.Equal(50, seesTheOtherBack.PermitsPerSecond, 6);
        Assert.Equal(100, afterward.PermitsPerSecond, 6);

        // The leases of the hand-over took nothing from the shared bucket: it is still full.
        Assert.Equal(10, afterward.Before, 0);
    }

    // An instance the others counted may have ended while Redis was away: the hand-over lasts a second at most.
    [Fact]
    public async Task Lease_OthersNotBackWithinTheHandOver_LeasesFromRedisAfterIt()
    {
        await using var redis = await RedisServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var a = Member(redis, "a", time);
        using var b = Member(redis, "b");
        await SyncInTurn(a, b);
        using var bucket = new SharedTokenBucket(a.Shared, permitsPerSecond: 100, size: 10, queueLimit: 100, time);

        await (await redis.AdminAsync()).FlushAllDatabasesAsync();
        a.Shared.Restored();
        var alone = await a.Shared.LeaseAsync(bucket, 5);
        time.Advance(SharedClient.HandOver);
        var afterTheHandOver = await a.Shared.LeaseAsync(bucket, 5);

        Assert.Equal(50, alone.PermitsPerSecond, 6);
        Assert.Equal(100, afterTheHandOver.PermitsPerSecond, 6);
    }

    // A burst of refusals lengthens the pause by a little each; it is written once per 50 ms it moves later.
    [Fact]
    public async Task Paused_ByABurstOfRefusals_IsWrittenOncePerFiftyMillisecondsItMovesLater()
    {
        await using var redis = await RedisServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var a = Member(redis, "a", time);
        await a.Shared.SyncAsync();
        var reason = new ClientPauseReason(429, "Retry-After", "GET", "https://api.example.com/items");
        var before = await redis.ScriptCallsAsync();

        // Moved later by 0, 30, 60 (written), 90 and 120 ms (written) from the first (written).
        for (var step = 0; step < 5; step++)
        {
            a.Shared.Paused(TimeSpan.FromSeconds(20), reason);
            time.Advance(TimeSpan.FromMilliseconds(30));
        }

        // Scripts on one connection run in the order they were sent: this sync runs after every write above.
        await a.Shared.SyncAsync();
        Assert.Equal(3 + 1, await redis.ScriptCallsAsync() - before);
    }

    // a, then b, then a again: the first to join learns of the second only at its next call.
    private static async Task SyncInTurn(MemberOfKey a, MemberOfKey b)
    {
        await a.Shared.SyncAsync();
        await b.Shared.SyncAsync();
        await a.Shared.SyncAsync();
    }

    private static MemberOfKey Member(RedisServer redis, string instance, TimeProvider? time = null)
    {
        var connection = new RedisConnection(() => ConnectionMultiplexer.Connect(redis.Configuration), owned: true, TimeProvider.System, NullLogger.Instance, new SharedMetrics());
        var shared = new SharedClient(new SharedKeys("test", "instances"), connection, time ?? TimeProvider.System, instance);
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
