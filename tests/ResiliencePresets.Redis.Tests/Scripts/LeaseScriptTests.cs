using System.Globalization;
using ResiliencePresets.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace ResiliencePresets.Redis.Tests.Scripts;

/// <summary>
/// The owner rule of a learned rate's bucket, run by a real redis-server: the latest decrease of any instance decides
/// the rate of all, and an increase comes from the owner's learner alone.
/// </summary>
public sealed class LeaseScriptTests
{
    private const long Second = 1_000_000;

    [Fact]
    public async Task LearnedLease_AnotherInstanceWithAnOlderCut_RefillsAtTheOwnersRate_HigherOrLower()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        Assert.Equal(10, await Lease(database, "a", rate: 10, sinceCut: 0));
        Assert.Equal(10, await Lease(database, "b", rate: 40, sinceCut: 5 * Second));
        Assert.Equal(10, await Lease(database, "b", rate: 4, sinceCut: 5 * Second));
    }

    [Fact]
    public async Task LearnedLease_SaysWhetherTheCallerOwnsTheRate_AndHowLongAgoTheOwnersRateWasCut()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        var owner = await LeaseResult(database, "a", rate: 10, sinceCut: 3 * Second);
        var other = await LeaseResult(database, "b", rate: 40, sinceCut: 5 * Second);
        var configured = await LeaseResult(database, "c", rate: 40, sinceCut: null);

        Assert.Equal(1, (long)owner[6]);
        Assert.Equal(0, (long)other[6]);
        Assert.InRange(long.Parse((string)other[5]!, CultureInfo.InvariantCulture), 3 * Second, 4 * Second);
        Assert.Equal("0", (string)configured[5]!);
    }

    [Fact]
    public async Task LearnedLease_AnOwnerSilentForItsTimeout_GivesTheRateToTheNextCaller_WithinTheLivenessWindow()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        Assert.Equal(2, await Lease(database, "a", rate: 2, sinceCut: 0));
        Assert.Equal(20, await Lease(database, "b", rate: 20, sinceCut: 10 * Second, ownerTimeout: 1));
    }

    [Fact]
    public async Task LearnedLease_ANewerCut_TakesTheRate_AndTheOwnerRaisesIt()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        Assert.Equal(10, await Lease(database, "a", rate: 10, sinceCut: 2 * Second));
        Assert.Equal(6, await Lease(database, "b", rate: 6, sinceCut: 0));
        Assert.Equal(6, await Lease(database, "a", rate: 10, sinceCut: 2 * Second));
        Assert.Equal(8, await Lease(database, "b", rate: 8, sinceCut: 0));
    }

    [Fact]
    public async Task LearnedLease_AnOwnerSilentForTheLivenessWindow_GivesTheRateToTheNextCaller()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        // Within a minute the owner is live, however slow the machine is between the two calls; past a microsecond it is not.
        Assert.Equal(2, await Lease(database, "a", rate: 2, sinceCut: 0, window: 1));
        Assert.Equal(2, await Lease(database, "b", rate: 20, sinceCut: 10 * Second, window: 60 * Second));
        Assert.Equal(20, await Lease(database, "b", rate: 20, sinceCut: 10 * Second, window: 1));
    }

    [Fact]
    public async Task LearnedLease_AfterARateCut_ReservesNoFurtherAheadThanTheHorizonAtTheNewRate()
    {
        // A second of debt at 100 a second, then a cut to 10 a second: the debt was 100 permits, 10 s at the new rate,
        // and every instance waited that long for its next permit; bounded at the horizon (1 s), 10 permits.
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        var first = await LeaseResult(database, "a", rate: 100, sinceCut: 2 * Second, wanted: 100);
        var afterCut = await LeaseResult(database, "b", rate: 10, sinceCut: 0, wanted: 10);

        Assert.Equal(100, (long)first[1]);
        Assert.InRange(double.Parse((string)afterCut[2]!, CultureInfo.InvariantCulture), -10, -9);
    }

    [Fact]
    public async Task ConfiguredLease_WithoutACut_RefillsAtTheCallersRate()
    {
        await using var redis = await RedisServer.StartAsync();
        var database = (await redis.AdminAsync()).Multiplexer.GetDatabase();

        Assert.Equal(10, await Lease(database, "a", rate: 10, sinceCut: null));
        Assert.Equal(40, await Lease(database, "b", rate: 40, sinceCut: null));
    }

    // One lease of one permit, with a liveness window (µs) of 10 s unless told (1 µs: any owner's last lease, a round
    // trip ago, is older); returns the rate the bucket refilled at.
    private static async Task<double> Lease(IDatabase database, string instance, double rate, long? sinceCut, long window = 10 * Second, long? ownerTimeout = null)
        => double.Parse((string)(await LeaseResult(database, instance, rate, sinceCut, window: window, ownerTimeout: ownerTimeout))[4]!, CultureInfo.InvariantCulture);

    // The script's answer to a lease of wanted permits from a bucket of size 1: Redis's time, granted, tokens before,
    // instances, rate, the age of the owner's cut. Without an owner timeout (µs) the owner keeps the rate for the
    // liveness window.
    private static async Task<RedisResult[]> LeaseResult(IDatabase database, string instance, double rate, long? sinceCut, int wanted = 1, long window = 10 * Second, long? ownerTimeout = null)
    {
        RedisValue[] values = [rate, 1, wanted, Second, instance, window];
        if (sinceCut is { } cut)
        {
            values = ownerTimeout is { } timeout ? [.. values, cut, timeout] : [.. values, cut];
        }

        return (RedisResult[])(await database.ScriptEvaluateAsync(LeaseScript.Text, [new RedisKey("t:{x}:learned"), new RedisKey("t:{x}:instances")], values))!;
    }
}
