using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ResiliencePresets.Redis.Tests.TestSupport;

/// <summary>
/// The API side on loopback (WireMock.Net): <c>/ok</c> answers 200; <c>/limited/N</c> answers 429 with
/// <c>Retry-After: N</c>, as a rate limiter does; <c>/search/limited</c> answers 429 with <c>Retry-After: 20</c> for
/// GitHub's search limit alone (<c>x-ratelimit-resource: search</c>), and <c>/search/ok</c> 200; <c>/throttle</c>
/// answers a bare 429 (a rate signal with no wait), <c>/quota</c> 200 with a quota of 40 requests per 2 s
/// (<c>RateLimit-Remaining: 40</c>, <c>RateLimit-Reset: 2</c>: 20 a second); <c>/unavailable/20</c> answers 503 with
/// <c>Retry-After: 20</c>, and <c>/spent</c> 200 with a spent quota that resets in 20 s (<c>RateLimit-Remaining: 0</c>).
/// </summary>
public sealed class LimitedApi : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public LimitedApi()
    {
        _server.Given(Request.Create().WithPath("/ok")).RespondWith(Response.Create().WithStatusCode(200));
        _server.Given(Request.Create().WithPath("/search/ok")).RespondWith(Response.Create().WithStatusCode(200));
        _server.Given(Request.Create().WithPath("/search/limited"))
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "20").WithHeader("x-ratelimit-resource", "search"));
        _server.Given(Request.Create().WithPath("/throttle")).RespondWith(Response.Create().WithStatusCode(429));
        _server.Given(Request.Create().WithPath("/quota"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("RateLimit-Remaining", "40").WithHeader("RateLimit-Reset", "2"));
        _server.Given(Request.Create().WithPath("/unavailable/20")).RespondWith(Response.Create().WithStatusCode(503).WithHeader("Retry-After", "20"));
        _server.Given(Request.Create().WithPath("/spent"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("RateLimit-Remaining", "0").WithHeader("RateLimit-Reset", "20"));
        foreach (var seconds in (int[])[5, 20, 30])
        {
            _server.Given(Request.Create().WithPath($"/limited/{seconds}"))
                .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public string Url => _server.Url!;

    /// <summary>Gets how many requests reached the API at <paramref name="path"/>.</summary>
    public int Received(string path) => _server.LogEntries.Count(e => e.RequestMessage.Path == path);

    /// <summary>Gets when each request to <paramref name="path"/> reached the API, in order.</summary>
    public DateTime[] ReceivedAt(string path) => [.. _server.LogEntries.Where(e => e.RequestMessage.Path == path).Select(e => e.RequestMessage.DateTime).Order()];

    public void Dispose() => _server.Dispose();
}
