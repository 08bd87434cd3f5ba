using ResiliencePresets.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace ResiliencePresets.Redis.Tests.Scripts;

/// <summary>
/// The pause script, run by a real redis-server, as far as it counts the instances of a key: a process that joins the
/// key (a sync with no pause) or announces a pause counts among its instances before it ever leases a permit.
/// </summary>
public sealed class PauseScriptTests
{
    private const long Second = 1_000_000;
    private static readonly RedisKey[] Keys = [new("t:{p}:pause"), new("t:{p}:instances")];

    [Fact]
    public async Task Sync_ByTwoInstancesOfAKey_CountsBothBeforeEitherLeases()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        Assert.Equal(1, (long)(await Run(database, "a"))[1]);
        Assert.Equal(2, (long)(await Run(database, "b"))[1]);
        Assert.Equal(2, (long)(await Run(database, "a"))[1]);
    }

    [Fact]
    public async Task Pause_AnnouncedByAnInstance_CountsItAndReturnsThePauseInForce()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        var result = await Run(database, "a", "api.example:443", 2 * Second, "429|Retry-After");

        Assert.Equal(1, (long)result[1]);
        Assert.EndsWith("|429|Retry-After", (string)result[2]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_OfAnInstanceSilentForTheLivenessWindow_NoLongerCountsIt()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        await Run(database, "a");

        // A window of a microsecond: the first instance's sync, a round trip ago, is older.
        Assert.Equal(1, (long)(await Run(database, "b", window: 1))[1]);
    }

    [Fact]
    public async Task Pause_AShorterWaitAfterALongerOne_KeepsTheLaterEnd()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();
        var longer = (string)(await Run(database, "a", "api.example:443", 30 * Second, "429|Retry-After"))[2]!;

        var result = await Run(database, "b", "api.example:443", 5 * Second, "503|Retry-After");

        Assert.Equal(longer, (string)result[2]!);
        Assert.Equal(longer, (string)(await database.HashGetAsync(Keys[0], "api.example:443"))!);
    }

    [Fact]
    public async Task Pause_OfMoreScopesThanTheBound_KeepsTheBoundsWorth()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        for (var scope = 0; scope < 70; scope++)
        {
            await Run(database, "a", $"scope-{scope}", 30 * Second, "429|Retry-After");
        }

        Assert.Equal(64, await database.HashLengthAsync(Keys[0]));
        Assert.False(await database.HashExistsAsync(Keys[0], "scope-64"));
    }

    // Redis's time, the live instances, then every pause in force.
    private static async Task<RedisResult[]> Run(IDatabase database, string instance, string? field = null, long wait = 0, string reason = "", long window = 10 * Second)
    {
        RedisValue[] values = ["t:{p}:notices", 64, instance, window];
        if (field is not null)
        {
            values = [.. values, field, wait, reason];
        }

        return (RedisResult[])(await database.ScriptEvaluateAsync(PauseScript.Text, Keys, values))!;
    }
}
