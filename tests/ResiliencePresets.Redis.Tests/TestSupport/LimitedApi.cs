using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ResiliencePresets.Redis.Tests.TestSupport;

/// <summary>
/// The API side on loopback (WireMock.Net): <c>/ok</c> answers 200; <c>/limited/N</c> answers 429 with
/// <c>Retry-After: N</c>, as a rate limiter does; <c>/search/limited</c> answers 429 with <c>Retry-After: 20</c> for
/// GitHub's search limit alone (<c>x-ratelimit-resource: search</c>), and <c>/search/ok</c> 200.
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
        foreach (var seconds in (int[])[5, 20, 30])
        {
            _server.Given(Request.Create().WithPath($"/limited/{seconds}"))
                .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    public string Url => _server.Url!;

    /// <summary>Gets how many requests reached the API at <paramref name="path"/>.</summary>
    public int Received(string path) => _server.LogEntries.Count(e => e.RequestMessage.Path == path);

    public void Dispose() => _server.Dispose();
}
