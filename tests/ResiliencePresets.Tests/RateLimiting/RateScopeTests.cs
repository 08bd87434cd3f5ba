using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.RateLimiting;

/// <summary>
/// A pause and quota pacing hold the scope the server meant, end to end through a real HttpClient: the limit it named
/// (GitHub's <c>x-ratelimit-resource</c>), and the host that sent it.
/// </summary>
public sealed class RateScopeTests : IClassFixture<FlakyServer>
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private readonly FlakyServer _server;

    public RateScopeTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task GitHubSearchLimitExhausted_HoldsSearchRequests_ButNotCoreRequests()
    {
        var time = new TimerRecordingTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var reset = (time.GetUtcNow() + TimeSpan.FromSeconds(20)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var search = _server.Respond("/search/issues", Status(403, GitHub("0", reset, "search")), Status(200, GitHub("29", reset, "search")));
        var core = _server.Respond("/repos/acme/widgets", Status(200, GitHub("4999", "1795000000", "core")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAttempts = 0, services: s => s.AddSingleton<TimeProvider>(time));

        using var exhausted = await api.Client.GetAsync($"{search}?q=is:open");

        // The core request is sent at once: the fake clock never moves while it runs.
        using var coreResponse = await api.Client.GetAsync(core).WaitAsync(TestTimeout);

        // The next search request waits for the search limit's reset.
        var holdTimer = time.NextTimer(due => due > TimeSpan.FromSeconds(19) && due < TimeSpan.FromSeconds(25));
        var held = api.Client.GetAsync($"{search}?q=is:closed");
        var hold = await holdTimer.WaitAsync(TestTimeout);
        Assert.False(held.IsCompleted);
        time.Advance(hold);
        using var searchResponse = await held.WaitAsync(TestTimeout);

        Assert.Equal(HttpStatusCode.Forbidden, exhausted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, coreResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, searchResponse.StatusCode);
        Assert.InRange(hold, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(22) + ServerWaitSpread.Padding);
        Assert.Equal((2, 1), (_server.Calls(search), _server.Calls(core)));
    }

    [Fact]
    public async Task GitHubSearchLimitExhausted_RefusesASearchRequestThatCannotWait_NamingTheLimit()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(40).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var search = _server.Respond("/search/code", Status(429, GitHub("0", reset, "code_search")));
        var core = _server.Respond("/users/octocat", Status(200, GitHub("4999", "1795000000", "core")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.Retry.MaxRetryAfter = TimeSpan.FromMinutes(1);
            o.AttemptTimeout = TimeSpan.FromSeconds(4);
            o.TotalTimeout = TimeSpan.FromSeconds(5);
        });

        using var exhausted = await api.Client.GetAsync(search);
        using var coreResponse = await api.Client.GetAsync(core);
        var error = await Assert.ThrowsAsync<ClientPausedException>(() => api.Client.GetAsync(search));

        Assert.Equal(HttpStatusCode.OK, coreResponse.StatusCode);
        Assert.Equal(1, _server.Calls(search));
        Assert.Equal("X-RateLimit-Reset", error.HeaderName);
        Assert.EndsWith("The server named its limit 'code_search'; requests under other limits are not held.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerWaitFromOneHost_DoesNotHoldRequestsToAnotherHost()
    {
        using var other = new FlakyServer();
        var limited = _server.Respond("/hosts/limited", Status(429, ("Retry-After", "20")));
        var elsewhere = other.Respond("/hosts/elsewhere", Status(200));
        var same = _server.Respond("/hosts/same", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.AttemptTimeout = TimeSpan.FromSeconds(4);
            o.TotalTimeout = TimeSpan.FromSeconds(5);
        });

        using var first = await api.Client.GetAsync(limited);
        using var otherHost = await api.Client.GetAsync($"{other.Url}{elsewhere}");
        var sameHost = await Assert.ThrowsAsync<ClientPausedException>(() => api.Client.GetAsync(same));

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherHost.StatusCode);
        Assert.Equal((1, 0), (other.Calls(elsewhere), _server.Calls(same)));
        Assert.Equal("Retry-After", sameHost.HeaderName);
    }

    // Regression: the first rate signal makes the learned bucket, and the retry it paused waits there; a request to
    // another host, queued behind it before the bucket had given any permit, was scheduled a day out (an overflow),
    // and held the paused retry with it until both timed out.
    [Fact]
    public async Task FirstRateSignalsPause_InAFreshLearnedBucket_HoldsOnlyItsHost()
    {
        using var other = new FlakyServer();
        var time = new TimerRecordingTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var limited = _server.Respond("/hosts/fresh-bucket/limited", Status(429, ("Retry-After", "2")), Status(200));
        var elsewhere = other.Respond("/hosts/fresh-bucket/elsewhere", Status(200));

        // Disposed once both requests ended (disposing waits for the requests in flight), so that a request left
        // waiting fails this test instead of hanging it.
        var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, services: s => s.AddSingleton<TimeProvider>(time));

        // The retry of the 429 joins the learned bucket until the pause (and its padding) is over.
        var pausedRetry = time.NextTimer(due => due == TimeSpan.FromSeconds(2) + ServerWaitSpread.Padding);
        var retrying = api.Client.GetAsync(limited);
        await pausedRetry.WaitAsync(TestTimeout);

        // The request to the other host waits for its turn in the bucket, the next tick, and no more.
        var otherHost = api.Client.GetAsync($"{other.Url}{elsewhere}");
        time.Advance(TimeSpan.FromMilliseconds(1));
        using var otherResponse = await otherHost.WaitAsync(TestTimeout);
        Assert.False(retrying.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(5));
        using var retried = await retrying.WaitAsync(TestTimeout);
        api.Dispose();

        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal((2, 1), (_server.Calls(limited), other.Calls(elsewhere)));
    }

    // A 429 under a limit the server names, by GitHub's header or by the RateLimit field's policy name: it pauses that
    // limit only, the client's other requests go on, and the client's learned rate is not engaged by it.
    [Theory]
    [InlineData("gh", "x-ratelimit-resource", "search")]
    [InlineData("ietf", "RateLimit", "\"search\";r=0;t=20")]
    public async Task TooManyRequestsUnderANamedLimit_PausesThatLimitOnly_AndTeachesTheClientsRateNothing(string api, string header, string value)
    {
        var search = _server.Respond($"/{api}-search/issues", Status(429, ("Retry-After", "20"), (header, value)));
        var otherSearch = _server.Respond($"/{api}-search/commits", Status(200));
        var core = _server.Respond($"/{api}-repos/acme/widgets", Status(200));
        using var client = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.AttemptTimeout = TimeSpan.FromSeconds(4);
            o.TotalTimeout = TimeSpan.FromSeconds(5);
        }, clientName: $"named-429-{api}");

        using var refused = await client.Client.GetAsync(search);
        var cores = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.Client.GetAsync(core);
            cores.Add(response.StatusCode);
        }

        var held = await Assert.ThrowsAsync<ClientPausedException>(() => client.Client.GetAsync(otherSearch));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.All(cores, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal((3, 0), (_server.Calls(core), _server.Calls(otherSearch)));
        Assert.EndsWith("The server named its limit 'search'; requests under other limits are not held.", held.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(client.Logs.Entries, e => e.EventId.Name == "ThrottlingStarted");
    }

    // Without a wait or a quota, the limit is still named: the 429 is that limit's, and the client's rate is not engaged.
    [Fact]
    public async Task BareTooManyRequestsUnderANamedLimit_TeachesTheClientsRateNothing()
    {
        var search = _server.Respond("/bare-search/issues", Status(429, ("x-ratelimit-resource", "search")));
        var core = _server.Respond("/bare-repos/acme/widgets", Status(200));
        using var client = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAttempts = 0, clientName: "named-bare-429");

        using var refused = await client.Client.GetAsync(search);
        using var coreResponse = await client.Client.GetAsync(core);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, coreResponse.StatusCode);
        Assert.DoesNotContain(client.Logs.Entries, e => e.EventId.Name == "ThrottlingStarted");
    }

    private static (string, string)[] GitHub(string remaining, string reset, string resource) =>
    [
        ("x-ratelimit-limit", "5000"),
        ("x-ratelimit-remaining", remaining),
        ("x-ratelimit-reset", reset),
        ("x-ratelimit-used", "1"),
        ("x-ratelimit-resource", resource),
    ];
}
