using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ResiliencePresets.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Fallback;

/// <summary>
/// Stale-if-error against what servers actually send, end to end: a real HttpClient from IHttpClientFactory with a
/// preset, against WireMock.Net, with a FakeTimeProvider where the age matters. Many inputs follow the
/// http-tests/cache-tests vectors (tests/cc-parse.mjs, age-parse.mjs, vary-parse.mjs, stale.mjs).
/// </summary>
public sealed partial class StaleIfErrorServerInputTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public StaleIfErrorServerInputTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task StaleAnswer_AgeItArrivedWith_IsAddedToTheTimeSinceInWholeSecondsAndTtlTurnsNegative()
    {
        var path = _server.Serve("/input/age", Ok("aged", ("Cache-Control", "max-age=60"), ("Age", "10")));
        using var api = Client();
        (await api.Client.GetAsync(path)).Dispose();
        _server.GoDown(path);

        _time.Advance(TimeSpan.FromSeconds(5.7));
        using (var fresh = await api.Client.GetAsync(path))
        {
            Assert.Equal(TimeSpan.FromSeconds(15), fresh.Headers.Age);
            Assert.Equal("15", Assert.Single(fresh.Headers.NonValidated["Age"]));
            Assert.Equal("ResiliencePresets; fwd=stale; fwd-status=503; ttl=45; detail=stale-if-error", CacheStatus(fresh));
        }

        _time.Advance(TimeSpan.FromSeconds(50));
        using var stale = await api.Client.GetAsync(path);

        Assert.Equal(TimeSpan.FromSeconds(65), stale.Headers.Age);
        Assert.Equal("ResiliencePresets; fwd=stale; fwd-status=503; ttl=-5; detail=stale-if-error", CacheStatus(stale));
    }

    [Fact]
    public async Task StaleAnswer_BodyAndHeaders_AreTheKeptResponsesNotTheFailures()
    {
        var path = _server.Serve("/input/headers", Ok("{\"v\":1}", ("Content-Type", "application/json"), ("ETag", "\"v1\""), ("X-Version", "1"), ("Set-Cookie", "s=1"), ("Cache-Status", "Upstream; hit")));
        using var api = Client();
        (await api.Client.GetAsync(path)).Dispose();
        _server.Server.Given(Request.Create().WithPath(path)).AtPriority(1).RespondWith(Status(503, ("X-Version", "down"), ("Content-Type", "text/plain"), ("Retry-After", "1")).WithBody("down"));

        using var stale = await api.Client.GetAsync(path);

        Assert.True(StaleResponse.IsStale(stale));
        Assert.Equal("{\"v\":1}", await stale.Content.ReadAsStringAsync());
        Assert.Equal(7, stale.Content.Headers.ContentLength);
        Assert.Equal("application/json", stale.Content.Headers.ContentType!.MediaType);
        Assert.Equal("\"v1\"", stale.Headers.ETag!.Tag);
        Assert.Equal("1", Assert.Single(stale.Headers.GetValues("X-Version")));
        Assert.False(stale.Headers.Contains("Set-Cookie"));
        Assert.False(stale.Headers.Contains("Retry-After"));

        // RFC 9211 §2: each cache appends its member; the one nearest the client comes last.
        Assert.Equal(["Upstream; hit", "ResiliencePresets; fwd=stale; fwd-status=503; ttl=0; detail=stale-if-error"], stale.Headers.GetValues("Cache-Status"));
    }

    [Fact]
    public async Task Head_AfterAKeptGet_IsNotAnsweredStale_WhileAKeptHeadIs()
    {
        var fromGet = _server.Serve("/input/head-after-get", Ok("body"));
        var fromHead = _server.Serve("/input/head-after-head", Ok("body"));
        using var api = Client();
        (await api.Client.GetAsync(fromGet)).Dispose();
        long? headLength;
        using (var head = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, fromHead)))
        {
            headLength = head.Content.Headers.ContentLength;
        }

        _server.GoDown(fromGet);
        _server.GoDown(fromHead);

        using var headAfterGet = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, fromGet));
        using var headAfterHead = await api.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, fromHead));
        using var getAfterHead = await api.Client.GetAsync(fromHead);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, headAfterGet.StatusCode);
        Assert.True(StaleResponse.IsStale(headAfterHead));
        Assert.Equal(headLength, headAfterHead.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, getAfterHead.StatusCode);
    }

    public static TheoryData<string, string, string, bool> HostileHeaders => new()
    {
        { "directives", "Cache-Control", string.Join(", ", Enumerable.Repeat("a", 10_000)) + ", max-age=60", true },
        { "max-age-huge", "Cache-Control", "max-age=99999999999999999999", true },
        { "sie-negative", "Cache-Control", "stale-if-error=-1", true },
        { "sie-huge", "Cache-Control", "max-age=1, stale-if-error=99999999999999999999", true },
        { "age-exponent", "Age", "1e99", true },
        { "age-negative", "Age", "-7200", true },
        { "vary-thousand", "Vary", string.Join(", ", Enumerable.Range(0, 1_000).Select(i => $"X-H{i}")), true },
        { "vary-bad-name", "Vary", "Accept, a b", false },
        { "no-store-beside-malformed", "Cache-Control", "no-store, max-age=a3600", false },
        { "private-beside-huge", "Cache-Control", "private, max-age=99999999999999999999", false },
        { "age-overflow", "Age", "2147483648", false },
        { "age-first-of-list", "Age", "7200, 0", false },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public async Task ReadOnlyApi_HostileHeaderOnTheGoodResponse_NeverThrowsAndIsKeptOnlyAsTheDocsSay(string name, string header, string value, bool kept)
    {
        var path = _server.Serve($"/input/hostile/{name}", Ok("kept", (header, value)));
        using var api = Client();
        using (var good = await api.Client.GetAsync(path))
        {
            Assert.Equal("kept", await good.Content.ReadAsStringAsync());
        }

        _server.GoDown(path);
        _time.Advance(TimeSpan.FromSeconds(1));

        using var answer = await api.Client.GetAsync(path);

        Assert.Equal(kept, StaleResponse.IsStale(answer));
        if (kept)
        {
            Assert.Equal("kept", await answer.Content.ReadAsStringAsync());
            Assert.Equal(TimeSpan.FromSeconds(1), answer.Headers.Age);
            Assert.Matches(CacheStatusMember(), CacheStatus(answer));
        }
        else
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
        }
    }

    // RFC 9211 §2 over RFC 9651: a token cache name, then parameters whose keys are lower case and whose values are
    // tokens or integers of at most 15 digits.
    [GeneratedRegex("^[A-Za-z*][A-Za-z0-9:/!#$%&'*+.^_`|~-]*(; ?[a-z*][a-z0-9_.*-]*(=(-?[0-9]{1,15}|[A-Za-z*][A-Za-z0-9:/!#$%&'*+.^_`|~-]*))?)*$")]
    private static partial Regex CacheStatusMember();

    private static string CacheStatus(HttpResponseMessage response) => response.Headers.GetValues("Cache-Status").Last();

    private PresetClient Client()
    {
        const string json = """{ "ResiliencePresets": { "Clients": { "api": { "Fallback": { "StaleIfError": "00:05:00" }, "Retry": { "MaxRetryAttempts": 0 } } } } }""";
        return PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, configure: o => { }, json: json, services: s => s.AddSingleton<TimeProvider>(_time));
    }
}
