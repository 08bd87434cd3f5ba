using ResiliencePresets.Redis.Peer;
using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Redis.Tests.Sharing;

/// <summary>
/// The server-imposed pause, shared by two instances (service providers) in one process through a real redis-server.
/// </summary>
public sealed class SharedPauseTests
{
    [Theory]
    [InlineData("/limited/20", "429")]
    [InlineData("/unavailable/20", "503")]
    [InlineData("/spent", "200")]
    public async Task Pause_ServerWaitInOneInstance_PausesTheOtherWithoutARequest(string path, string status)
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await BothJoined(redis, a, b);

        Assert.Equal(status, await a.GetAsync(path));
        var learned = await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.Zero, "the pause notice");

        Assert.InRange(learned, TimeSpan.FromSeconds(18), TimeSpan.FromSeconds(20.5));
        SharedHost.AssertPaused(20, await b.GetAsync("/ok"));
        Assert.Equal(2, api.Received("/ok"));
    }

    [Theory]
    [InlineData(45)]
    [InlineData(-45)]
    public async Task Pause_ClocksSkewedBySeconds_HonorOneInstant(int skewSeconds)
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, time: new SkewedTimeProvider(TimeSpan.FromSeconds(skewSeconds)));
        await BothJoined(redis, a, b);

        Assert.Equal("429", await a.GetAsync("/limited/20"));
        var learned = await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.Zero, "the pause notice");

        // On B's own clock the pause ends 20 s from now: not 20 s plus or minus the skew.
        Assert.InRange(learned, TimeSpan.FromSeconds(18), TimeSpan.FromSeconds(20.5));
        Assert.InRange(a.Time.GetUtcNow() + a.PauseLeft - (b.Time.GetUtcNow() + b.PauseLeft - TimeSpan.FromSeconds(skewSeconds)), TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Pause_ShorterWaitLater_DoesNotShortenTheSharedPause()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await BothJoined(redis, a, b);
        Assert.Equal("429", await a.GetAsync("/limited/30"));
        await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.FromSeconds(25), "the 30 s pause notice");

        // A third instance, joining now and told to wait 5 s, learns the 30 s pause from Redis instead.
        await using var c = SharedHost.Start(SharedHost.Through(redis), api.Url, configure: o => o.Shared.Timeout = TimeSpan.FromSeconds(1));
        await c.ConnectedAsync();
        // The 30 s pause, less the time the machine took since it began (on a busy machine, more than half a second).
        var outcome = await c.GetAsync("/ok");
        Assert.Matches("^paused (2[5-9]|30)s$", outcome);

        Assert.InRange(b.PauseLeft, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30.5));
        Assert.Equal(2, api.Received("/ok"));
    }

    [Fact]
    public async Task Pause_InstanceStartedDuringAPause_HonorsItOnItsFirstRequest()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url);
        Assert.Equal("429", await a.GetAsync("/limited/20"));
        await Eventually.Value(async () => (await redis.AdminAsync()).Multiplexer.GetDatabase().KeyExists(Keys("api").Pause), exists => exists, "the shared pause");

        // The first attempt waits for the pause in force, at most Shared:Timeout (long here: a busy machine is slow).
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, json: """{ "Shared": { "Timeout": "00:00:02" } }""");
        await b.ConnectedAsync();

        SharedHost.AssertPaused(20, await b.GetAsync("/ok"));
        Assert.Equal(0, api.Received("/ok"));
    }

    [Fact]
    public async Task Pause_SharedKeyFromConfiguration_JoinsClientsOfDifferentNames_AndKeepsOtherKeysApart()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        const string account = """{ "Shared": { "Key": "openai-org-42" } }""";
        await using var chat = SharedHost.Start(SharedHost.Through(redis), api.Url, "chat", account);
        await using var embeddings = SharedHost.Start(SharedHost.Through(redis), api.Url, "embeddings", account);
        await using var other = SharedHost.Start(SharedHost.Through(redis), api.Url, "other");
        await using var off = SharedHost.Start(SharedHost.Through(redis), api.Url, "unshared", """{ "Shared": { "Key": "openai-org-42", "Enabled": false } }""");
        foreach (var host in (SharedHost[])[chat, embeddings, other, off])
        {
            Assert.Equal("200", await host.GetAsync("/ok"));
        }

        await Eventually.Value(() => redis.SubscribersAsync(Keys("openai-org-42").Channel), count => count == 2, "both subscriptions");
        Assert.Equal("429", await chat.GetAsync("/limited/20"));
        await Eventually.Value(() => embeddings.PauseLeft, left => left > TimeSpan.Zero, "the pause notice");

        SharedHost.AssertPaused(20, await embeddings.GetAsync("/ok"));
        Assert.Equal("200", await other.GetAsync("/ok"));
        Assert.Equal("200", await off.GetAsync("/ok"));
        Assert.Equal(0, await redis.SubscribersAsync(Keys("unshared").Channel));
    }

    [Fact]
    public async Task Pause_OfALimitTheServerNamed_HoldsThatLimitInTheOtherInstance_AndNotTheRestOfTheApi()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await BothJoined(redis, a, b);

        Assert.Equal("429", await a.GetAsync("/search/limited"));
        await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.Zero, "the pause notice");

        SharedHost.AssertPaused(20, await b.GetAsync("/search/ok"));
        Assert.Equal("200", await b.GetAsync("/ok"));
        Assert.Equal(0, api.Received("/search/ok"));
    }

    [Theory]
    [InlineData("Shared:Key", "another-account")]
    [InlineData("Shared:Enabled", "false")]
    public async Task Pause_AfterAReloadTookTheClientOutOfTheSharedKey_NoLongerReachesTheClient(string setting, string value)
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await BothJoined(redis, a, b);

        b.Change(setting, value);
        Assert.Equal("200", await b.GetAsync("/ok"));
        await using var c = SharedHost.Start(SharedHost.Through(redis), api.Url);
        Assert.Equal("200", await c.GetAsync("/ok"));
        await Eventually.Value(() => redis.SubscribersAsync(Keys("api").Channel), count => count == 3, "c's subscription");
        Assert.Equal("429", await a.GetAsync("/limited/20"));
        await Eventually.Value(() => c.PauseLeft, left => left > TimeSpan.Zero, "the pause notice");

        Assert.Equal(TimeSpan.Zero, b.PauseLeft);
        Assert.Equal("200", await b.GetAsync("/ok"));
    }

    [Fact]
    public async Task Pause_NoPauseAndNoRateInForce_CostsNoRoundTripPerRequest()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await BothJoined(redis, a, b);
        long Syncs() => a.Count("resiliencepresets.shared.round_trips:sync") + b.Count("resiliencepresets.shared.round_trips:sync");
        var (scriptsBefore, syncsBefore) = (await redis.ScriptCallsAsync(), Syncs());

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("200", await a.GetAsync("/ok"));
            Assert.Equal("200", await b.GetAsync("/ok"));
        }

        // Only a sync the joining started in the background may still have run; no request ran a script.
        Assert.Equal(Syncs() - syncsBefore, await redis.ScriptCallsAsync() - scriptsBefore);
        Assert.Equal(0, a.Count("resiliencepresets.shared.round_trips:pause") + a.Count("resiliencepresets.shared.round_trips:lease"));
    }

    [Fact]
    public async Task Pause_WhileItHoldsThisAndAnotherInstance_CostsNoRoundTripPerAttempt()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url);
        await BothJoined(redis, a, b);
        Assert.Equal("429", await a.GetAsync("/limited/20"));
        await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.Zero, "the pause notice");
        long Syncs() => a.Count("resiliencepresets.shared.round_trips:sync") + b.Count("resiliencepresets.shared.round_trips:sync");
        var (scriptsBefore, syncsBefore) = (await redis.ScriptCallsAsync(), Syncs());

        for (var i = 0; i < 20; i++)
        {
            SharedHost.AssertPaused(20, await a.GetAsync("/ok"));
            SharedHost.AssertPaused(20, await b.GetAsync("/ok"));
        }

        // The pause was written once, by the instance that learned it; no refused attempt ran a script.
        Assert.Equal(Syncs() - syncsBefore, await redis.ScriptCallsAsync() - scriptsBefore);
        Assert.Equal(1, a.Count("resiliencepresets.shared.round_trips:pause"));
        Assert.Equal(0, b.Count("resiliencepresets.shared.round_trips:pause") + a.Count("resiliencepresets.shared.round_trips:lease") + b.Count("resiliencepresets.shared.round_trips:lease"));
    }

    internal static SharedKeys Keys(string key) => new(ResiliencePresetSharedOptions.DefaultKeyPrefix, key);

    // Each instance's first request joins it; its subscription is made in the background.
    internal static async Task BothJoined(RedisServer redis, SharedHost a, SharedHost b, string key = "api")
    {
        Assert.Equal("200", await a.GetAsync("/ok"));
        Assert.Equal("200", await b.GetAsync("/ok"));
        await Eventually.Value(() => redis.SubscribersAsync(Keys(key).Channel), count => count == 2, "both subscriptions");
    }
}
