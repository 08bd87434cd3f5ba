using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Redis.Tests.Sharing;
using ResiliencePresets.Redis.Tests.TestSupport;
using StackExchange.Redis;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ResiliencePresets.Redis.Tests.Scripts;

/// <summary>What the scripts leave in Redis: keys that expire on their own, and no secret of a request or of a server's reply.</summary>
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

    [Fact]
    public async Task EveryKey_AfterAPauseABucketAQuotasPaceAndJoins_ExpiresWithinItsLifetime_AndHoldsBoundedValues()
    {
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();
        using var other = WireMockServer.Start();
        other.Given(Request.Create().WithPath(new WireMock.Matchers.WildcardMatcher("/long/*")))
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "20").WithHeader($"X-{new string('h', 4000)}", new string('v', 4000)));
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url, "a", """{ "Shared": { "Key": "one-account", "Timeout": "00:00:01" }, "RateLimit": { "PermitsPerSecond": 50, "Burst": 5 } }""");
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url, "b", """{ "Shared": { "Key": "one-account", "Timeout": "00:00:01" } }""");
        await a.ConnectedAsync();
        await b.ConnectedAsync();
        var notices = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var admin = await redis.AdminAsync();
        await admin.Multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Pattern("*"), (_, message) => notices.Enqueue(message.ToString()));

        Assert.All(await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => a.GetAsync("/ok"))), outcome => Assert.Equal("200", outcome));
        Assert.Equal("200", await b.GetAsync("/quota"));
        Assert.Equal("200", await b.GetAsync("/quota"));
        Assert.Equal("429", await b.GetAsync($"{other.Url}/long/{new string('p', 3000)}?q={new string('q', 3000)}"));
        var keys = new SharedKeys(ResiliencePresetSharedOptions.DefaultKeyPrefix, "one-account");
        var database = admin.Multiplexer.GetDatabase();
        await Eventually.Value(() => notices.Count, count => count >= 1, "the pause announced");

        // Each lifetime as docs/distributed.md gives it: the pause a second past its end, a bucket once full again plus
        // a second (50/s, 5 deep, a second of debt: 0.2 s; the learned rate's one token at 20/s, a second of debt: 1.05 s),
        // the instances the liveness window.
        var lifetimes = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
        {
            [keys.Pause.ToString()] = TimeSpan.FromSeconds(21),
            [keys.Bucket.ToString()] = TimeSpan.FromSeconds(2.2),
            [keys.Learned.ToString()] = TimeSpan.FromSeconds(2.05),
            [keys.Instances.ToString()] = SharedClient.Liveness,
        };
        var written = admin.Keys(pattern: "*").Select(k => k.ToString()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(lifetimes.Keys.Order(StringComparer.Ordinal), written);
        var sizes = new List<int>();
        foreach (var key in written)
        {
            var ttl = await database.KeyTimeToLiveAsync(key);
            Assert.True(ttl is { } left && left > TimeSpan.Zero && left <= lifetimes[key], $"{key} expires in {ttl?.ToString() ?? "never"}; at most {lifetimes[key]}.");
            sizes.Add(key.Length);
            sizes.AddRange(await database.KeyTypeAsync(key) == RedisType.Hash
                ? (await database.HashGetAllAsync(key)).SelectMany(e => (int[])[((byte[])e.Name!).Length, ((byte[])e.Value!).Length])
                : (await database.SortedSetRangeByRankAsync(key)).Select(e => ((byte[])e!).Length));
        }

        // A field's value: until, status, header (64), method (16), URL (256) and limit (64), with separators.
        Assert.InRange(sizes.Max(), 1, 430);
        Assert.All(notices, notice => Assert.InRange(notice.Length, 1, 450));
        Assert.DoesNotContain(new string('q', 10), string.Join('\n', notices), StringComparison.Ordinal);
        Assert.Contains(new string('p', 100), string.Join('\n', notices), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysValuesAndNotices_AfterRequestsAndRepliesCarryingSecrets_HoldNoSecret()
    {
        const string Secret = "SECRET123";
        await using var redis = await RedisServer.StartAsync();
        using var api = WireMockServer.Start();
        using var other = WireMockServer.Start();
        var hostile = (int status) => Response.Create().WithStatusCode(status)
            .WithHeader("Set-Cookie", $"session={Secret}").WithHeader("WWW-Authenticate", $"Bearer {Secret}").WithHeader("x-request-id", Secret);
        api.Given(Request.Create().WithPath("/ok")).RespondWith(hostile(200).WithHeader("RateLimit-Remaining", Secret));
        api.Given(Request.Create().WithPath("/github/limited"))
            .RespondWith(hostile(429).WithHeader("Retry-After", "20").WithHeader("x-ratelimit-resource", $"{Secret} {new string('x', 80)}"));
        other.Given(Request.Create().WithPath("/ietf/limited")).RespondWith(hostile(429).WithHeader("RateLimit", $"\"{new string('S', 64)}{Secret}\";r=0;t=25"));
        var notices = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var admin = await redis.AdminAsync();
        await admin.Multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Pattern("*"), (_, message) => notices.Enqueue(message.ToString()));
        const string Json = """{ "Shared": { "Timeout": "00:00:01" }, "RateLimit": { "PermitsPerSecond": 5 } }""";
        await using var a = SharedHost.Start(SharedHost.Through(redis), api.Url!, json: Json);
        await using var b = SharedHost.Start(SharedHost.Through(redis), api.Url!, json: Json);
        await a.ConnectedAsync();
        await b.ConnectedAsync();

        async Task<string> Send(SharedHost host, string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?api_key={Secret}");
            request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Secret}");
            request.Headers.TryAddWithoutValidation("Cookie", $"session={Secret}");
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Secret);
            request.Headers.TryAddWithoutValidation("X-Api-Key", Secret);
            try
            {
                using var response = await host.Client.SendAsync(request);
                return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (ClientPausedException e)
            {
                return e.ToString();
            }
        }

        Assert.Equal("200", await Send(a, "/ok"));
        Assert.Equal("200", await Send(b, "/ok"));
        Assert.Equal("429", await Send(a, "/github/limited"));
        Assert.Equal("429", await Send(a, $"{other.Url}/ietf/limited"));
        await Eventually.Value(() => notices.Count, count => count >= 2, "both pauses announced");
        await Eventually.Value(() => b.PauseLeft, left => left > TimeSpan.FromSeconds(15), "the pause shared with the other instance");
        var refused = await Send(b, "/github/limited");

        var database = admin.Multiplexer.GetDatabase();
        var stored = new List<string>();
        foreach (var key in admin.Keys(pattern: "*"))
        {
            var type = await database.KeyTypeAsync(key);
            stored.Add($"{type} {key}");
            stored.AddRange(type switch
            {
                RedisType.Hash => (await database.HashGetAllAsync(key)).Select(e => $"{e.Name}={e.Value}"),
                RedisType.SortedSet => (await database.SortedSetRangeByRankWithScoresAsync(key)).Select(e => $"{e.Element}={e.Score}"),
                RedisType.String => [(string?)await database.StringGetAsync(key) ?? string.Empty],
                _ => [$"unexpected type {type}"],
            });
        }

        var everything = string.Join('\n', [.. stored, .. notices, refused, .. a.Logs.Select(l => l.Message), .. b.Logs.Select(l => l.Message)]);
        Assert.StartsWith("ResiliencePresets.ClientPausedException", refused, StringComparison.Ordinal);
        Assert.Contains("/github/limited", everything, StringComparison.Ordinal);
        Assert.Contains("/ietf/limited", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', 64), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('S', 64), everything, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected type", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigurationString_WithAPassword_NeverReachesAnErrorOrALog()
    {
        const string Password = "SECRET123";
        await using var redis = await RedisServer.StartAsync();
        using var api = new LimitedApi();

        var invalid = Assert.Throws<ArgumentException>(() => new ServiceCollection()
            .AddResiliencePresetsRedis($"{redis.Configuration},password={Password},connectTimeout=soon"));
        await using (var wrong = SharedHost.Start(s => s.AddResiliencePresetsRedis($"{redis.Configuration},password={Password}"), api.Url))
        {
            Assert.Equal("429", await wrong.GetAsync("/limited/20"));
            await Eventually.Value(() => wrong.Logs.Count, count => count > 0, "a log that Redis refused the password");

            Assert.Contains("connectTimeout", invalid.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, invalid.ToString(), StringComparison.Ordinal);
            Assert.All(wrong.Logs, log => Assert.DoesNotContain(Password, log.Message, StringComparison.Ordinal));
        }
    }
}
