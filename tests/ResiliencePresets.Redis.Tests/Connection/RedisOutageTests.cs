using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResiliencePresets.Redis.Tests.Sharing;
using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Redis.Tests.Connection;

/// <summary>
/// Redis stopped in the middle of a run and started again: no request fails because of it, each instance falls back
/// to local behavior with one Warning, and sharing resumes, with one Information, once Redis is back.
/// </summary>
public sealed class RedisOutageTests
{
    // A timeout far above a busy machine's hiccups: Redis killed is seen at once (the connection closes), not by timing out.
    private const string SharedBucket = """{ "Shared": { "Timeout": "00:00:00.500" }, "RateLimit": { "PermitsPerSecond": 500, "Burst": 10 } }""";

    [Fact]
    public async Task Outage_RedisStoppedMidRun_NoRequestFails_AndSharingResumesWhenItIsBack()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url, json: SharedBucket);
        await using var b = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url, json: SharedBucket);
        await SharedPauseTests.BothJoined(redis, a, b);
        Assert.All(await Burst(a, b), outcome => Assert.Equal("200", outcome));

        // More requests than a lease's batch (50), so that each instance leases, whatever permits it still holds.
        await redis.StopAsync();
        var duringOutage = await Burst(a, b, 60);

        Assert.All(duringOutage, outcome => Assert.Equal("200", outcome));
        foreach (var host in (SharedHost[])[a, b])
        {
            Assert.True(host.Count("resiliencepresets.shared.fallbacks:lease") > 0, "The bucket did not fall back to local permits.");
            Assert.True(host.Logs.Count(log => log is { Level: LogLevel.Warning, EventName: "SharedStateDegraded" }) == 1, string.Join("\n", host.Logs));
        }

        await redis.StartAgainAsync();
        foreach (var host in (SharedHost[])[a, b])
        {
            await Eventually.Value(() => host.Logs.Count(log => log is { Level: LogLevel.Information, EventName: "SharedStateRecovered" }), count => count == 1, "the recovery");
        }

        await Eventually.Value(() => redis.SubscribersAsync(SharedPauseTests.Keys("api").Channel), count => count == 2, "both subscriptions again");
        var leasesBefore = await redis.ScriptCallsAsync();
        Assert.All(await Burst(a, b), outcome => Assert.Equal("200", outcome));
        Assert.True(await redis.ScriptCallsAsync() > leasesBefore, "The bucket did not lease from Redis again.");

        Assert.Equal("429", await a.GetAsync("/limited/20"));
        await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.Zero, "the pause notice after the restart");
        SharedHost.AssertPaused(20, await b.GetAsync("/ok"));
        Assert.Single(a.Logs, log => log.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task Stall_RedisThatAnswersNothing_RequestsGoOnLocallyBeforeItAnswersAgain()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url, json: """{ "RateLimit": { "PermitsPerSecond": 500, "Burst": 10 } }""");
        await a.ConnectedAsync();
        Assert.Equal("200", await a.GetAsync("/ok"));

        // Requests go on until one lease has fallen back: with Shared:Timeout at 20 ms, that happens long before Redis
        // answers again, and every request sent meanwhile gets its answer from the API.
        var stall = redis.StallAsync(TimeSpan.FromSeconds(2));
        var outcomes = new List<string>();
        while (a.Count("resiliencepresets.shared.fallbacks:lease") == 0 && outcomes.Count < 1000)
        {
            outcomes.Add(await a.GetAsync("/ok"));
        }

        Assert.False(stall.IsCompleted, "Redis answered again before the requests fell back.");
        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        Assert.Single(a.Logs, log => log is { Level: LogLevel.Warning, EventName: "SharedStateDegraded" });
        Assert.Equal(1, a.Gauge("resiliencepresets.shared.degraded"));
        await stall;
        await Eventually.Value(() => a.Logs.Count(log => log.EventName == "SharedStateRecovered"), count => count == 1, "the recovery");
        Assert.Equal(0, a.Gauge("resiliencepresets.shared.degraded"));
    }

    [Fact]
    public async Task WritesPaused_AsInAFailover_WhileRedisStillAnswersPing_DegradesOnce_AndRecoversOnceScriptsRunAgain()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, json: """{ "Shared": { "Timeout": "00:00:00.200" }, "RateLimit": { "PermitsPerSecond": 500, "Burst": 10 } }""");
        await a.ConnectedAsync();
        Assert.Equal("200", await a.GetAsync("/ok"));

        // CLIENT PAUSE WRITE (what FAILOVER does) holds every script, and the commands sent after one on its connection.
        var paused = TimeSpan.FromMilliseconds(1500);
        await redis.ExecuteAsync("CLIENT", "PAUSE", (long)paused.TotalMilliseconds, "WRITE");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = new List<(string Outcome, TimeSpan Took)>();
        while (clock.Elapsed < paused)
        {
            var started = clock.Elapsed;
            outcomes.Add((await a.GetAsync("/ok"), clock.Elapsed - started));
        }

        await Eventually.Value(() => a.Logs.Count(log => log.EventName == "SharedStateRecovered"), count => count == 1, "the recovery");
        Assert.All(outcomes, outcome => Assert.Equal("200", outcome.Outcome));
        Assert.InRange(outcomes.Max(o => o.Took), TimeSpan.Zero, paused / 2);
        Assert.Single(a.Logs, log => log is { Level: LogLevel.Warning, EventName: "SharedStateDegraded" });
        Assert.Single(a.Logs, log => log is { Level: LogLevel.Information, EventName: "SharedStateRecovered" });
        Assert.Equal(0, a.Gauge("resiliencepresets.shared.degraded"));
    }

    [Fact]
    public async Task ScriptsRefused_WhileRedisStillAnswersPing_DegradeOnce_AndRecoverOnceScriptsRunAgain()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, json: SharedBucket);
        await a.ConnectedAsync();
        Assert.Equal("200", await a.GetAsync("/ok"));

        // A Redis that refuses scripts (an ACL without EVAL) still answers PING: the connection must stay degraded until
        // a script runs again, not come back at each probe and fail at the next lease.
        await redis.ExecuteAsync("ACL", "SETUSER", "default", "-eval", "-evalsha");
        var outcomes = new List<string>();
        for (var round = 0; round < 4; round++)
        {
            var refused = await redis.ErrorsAsync("NOPERM");
            outcomes.AddRange(await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => a.GetAsync("/ok"))));
            await Eventually.Value(() => redis.ErrorsAsync("NOPERM"), count => count > refused, "a script refused");
        }

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        Assert.Single(a.Logs, log => log is { Level: LogLevel.Warning, EventName: "SharedStateDegraded" });
        Assert.DoesNotContain(a.Logs, log => log.EventName == "SharedStateRecovered");
        await redis.ExecuteAsync("ACL", "SETUSER", "default", "+eval", "+evalsha");
        await Eventually.Value(() => a.Logs.Count(log => log.EventName == "SharedStateRecovered"), count => count == 1, "the recovery");
        Assert.Single(a.Logs, log => log is { Level: LogLevel.Warning, EventName: "SharedStateDegraded" });
    }

    [Fact]
    public async Task ScriptCacheFlushedMidRun_LeasesGoOnFromRedis_WithoutAWarning()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();

        // A generous Shared:Timeout: a call slowed past a short one by a busy machine would degrade the instance, and
        // what is asked here is whether NOSCRIPT does.
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, json: SharedBucket.Replace("00:00:00.500", "00:00:03", StringComparison.Ordinal));
        await a.ConnectedAsync();
        Assert.All(await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => a.GetAsync("/ok"))), outcome => Assert.Equal("200", outcome));
        var fellBackBefore = a.Count("resiliencepresets.shared.fallbacks");

        // The client holds the scripts' SHA-1 from its first EVAL; after SCRIPT FLUSH (or a failover to a replica that
        // never saw them) Redis answers EVALSHA with NOSCRIPT.
        await redis.ExecuteAsync("SCRIPT", "FLUSH");
        var scriptsBefore = await redis.ScriptCallsAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => a.GetAsync("/ok")));

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        Assert.True(await redis.ScriptCallsAsync() > scriptsBefore, $"No lease reached Redis after the flush; fallbacks: {a.Fallbacks}.");
        Assert.True(a.Count("resiliencepresets.shared.fallbacks") == fellBackBefore, $"Fell back to local state: {a.Fallbacks}.");
        Assert.DoesNotContain(a.Logs, log => log.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Outage_PauseLearnedWhileRedisWasDown_IsSharedWhenItIsBack()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url);
        await using var b = SharedHost.Start(SharedHost.ThroughQuickReconnect(redis), api.Url);
        await SharedPauseTests.BothJoined(redis, a, b);

        await redis.StopAsync();
        Assert.Equal("429", await a.GetAsync("/limited/30"));
        Assert.Equal("200", await b.GetAsync("/ok"));
        await redis.StartAgainAsync();

        var learned = await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.Zero, "the pause handed over on recovery");
        Assert.InRange(learned, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30.5));
    }

    [Fact]
    public async Task Outage_RedisNeverReachable_RequestsGoOnLocally()
    {
        var redis = await RedisServer.StartAsync();
        var configuration = redis.Configuration;
        await redis.DisposeAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(s => s.AddResiliencePresetsRedis(configuration), api.Url, json: SharedBucket);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => a.GetAsync("/ok")));
        Assert.Equal("429", await a.GetAsync("/limited/5"));

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        Assert.InRange(a.PauseLeft, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5.5));
    }

    [Fact]
    public async Task Outage_RedisDownAtStartUp_RequestsGoOnLocally_AndSharingBeginsOnceItIsUp_WithOneWarningAndOneInformation()
    {
        await using var redis = await RedisServer.StartAsync();
        await redis.StopAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, json: SharedBucket);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, json: SharedBucket);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).SelectMany(_ => (SharedHost[])[a, b]).Select(host => host.GetAsync("/ok")));

        // Down at start-up means the first connection has failed: until it has, the requests above went local as
        // "connecting", and a Redis back before that moment is simply a connection made late, with no Warning.
        foreach (var host in (SharedHost[])[a, b])
        {
            await Eventually.Value(() => host.Logs.Count(log => log is { Level: LogLevel.Warning, EventName: "SharedStateDegraded" }), count => count == 1, "the failed first connection");
        }

        await redis.StartAgainAsync();
        await a.ConnectedAsync();
        await b.ConnectedAsync();
        await Eventually.Value(() => redis.SubscribersAsync(SharedPauseTests.Keys("api").Channel), count => count == 2, "both subscriptions");

        Assert.All(outcomes, outcome => Assert.Equal("200", outcome));
        Assert.Equal("429", await a.GetAsync("/limited/20"));
        await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.Zero, "the pause notice");
        Assert.Equal("paused 20s", await b.GetAsync("/ok"));
        foreach (var host in (SharedHost[])[a, b])
        {
            Assert.Single(host.Logs, log => log is { Level: LogLevel.Warning, EventName: "SharedStateDegraded" });
            await Eventually.Value(() => host.Logs.Count(log => log is { Level: LogLevel.Information, EventName: "SharedStateRecovered" }), count => count == 1, "the recovery");
        }
    }

    // While the multiplexer was still being created, every call waited Shared:Timeout for it: a request's first attempt
    // waited once for the pauses in force and once more for its bucket's lease, twice the timeout (here 6 s, past the
    // request's TotalTimeout of 5 s: the request failed because Redis was not there yet).
    [Fact]
    public async Task Connecting_MultiplexerStillBeingCreated_ARequestWaitsOneSharedTimeoutAtMost_AndGetsItsAnswer()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        using var created = new ManualResetEventSlim();
        var slowToCreate = (Func<IServiceCollection, IServiceCollection>)(s => s.AddResiliencePresetsRedis(_ =>
        {
            created.Wait();
            return StackExchange.Redis.ConnectionMultiplexer.Connect(redis.Configuration);
        }));
        await using var a = SharedHost.Start(slowToCreate, api.Url, json: """{ "Shared": { "Timeout": "00:00:03" }, "RateLimit": { "PermitsPerSecond": 500, "Burst": 10 } }""");
        try
        {
            Assert.Equal("200", await a.GetAsync("/ok"));
            Assert.Equal(1, a.Count("resiliencepresets.shared.fallbacks:sync"));
            Assert.Equal(1, a.Count("resiliencepresets.shared.fallbacks:lease"));
        }
        finally
        {
            created.Set();
        }
    }

    // Twenty requests from each instance at once, through the shared bucket.
    private static Task<string[]> Burst(SharedHost a, SharedHost b, int each = 20)
        => Task.WhenAll(Enumerable.Range(0, each).SelectMany(_ => (SharedHost[])[a, b]).Select(host => host.GetAsync("/ok")));
}
