using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A WireMock.Net server on loopback that answers a path with a fixed sequence of responses (the last one repeats),
/// and reports what reached it.
/// </summary>
public sealed class FlakyServer : IDisposable
{
    private int _scenario;

    public FlakyServer() => Server = WireMockServer.Start();

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    /// <summary>Answers <paramref name="path"/>, for any method, with <paramref name="responses"/> in order; the last repeats.</summary>
    public string Respond(string path, params IResponseBuilder[] responses)
    {
        if (responses.Length == 1)
        {
            // WireMock.Net 1.25.0 fails a scenario that never changes state; one response needs no scenario.
            Server.Given(Request.Create().WithPath(path)).RespondWith(responses[0]);
            return path;
        }

        var scenario = $"s{Interlocked.Increment(ref _scenario)}";
        for (var i = 0; i < responses.Length; i++)
        {
            var mapping = Server.Given(Request.Create().WithPath(path)).InScenario(scenario);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"{i}");
            }

            if (i < responses.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"{i + 1}");
            }

            mapping.RespondWith(responses[i]);
        }

        return path;
    }

    /// <summary>
    /// Answers <paramref name="path"/> with 200, the first request only after <paramref name="firstDelay"/>.
    /// </summary>
    /// <remarks>WireMock.Net moves a scenario on only after a delayed response is sent, so the delay is counted here.</remarks>
    public string RespondSlowOnce(string path, TimeSpan firstDelay)
    {
        var calls = 0;
        Server.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithCallback(_ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                Thread.Sleep(firstDelay); // A server-side delay inside the stub, never a wait in a test.
            }

            return new WireMock.ResponseMessage { StatusCode = 200 };
        }));
        return path;
    }

    public IReadOnlyList<ILogEntry> Requests(string path)
        => Server.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime).ToList();

    public int Calls(string path) => Requests(path).Count;

    /// <summary>The server-side gaps between consecutive requests to a path.</summary>
    public IReadOnlyList<TimeSpan> Gaps(string path)
    {
        var times = Requests(path).Select(e => e.RequestMessage.DateTime).ToList();
        return times.Zip(times.Skip(1), (a, b) => b - a).ToList();
    }

    public static IResponseBuilder Status(int code, params (string Name, string Value)[] headers)
    {
        var response = Response.Create().WithStatusCode(code);
        foreach (var (name, value) in headers)
        {
            response = response.WithHeader(name, value);
        }

        return response;
    }

    /// <summary>A 200 with <paramref name="body"/> and the headers given.</summary>
    public static IResponseBuilder Ok(string body, params (string Name, string Value)[] headers)
        => Status(200, headers).WithBody(body);

    /// <summary>Answers <paramref name="path"/> with <paramref name="response"/> until <see cref="GoDown"/> makes it fail.</summary>
    public string Serve(string path, IResponseBuilder response)
    {
        Server.Given(Request.Create().WithPath(path)).AtPriority(10).RespondWith(response);
        return path;
    }

    /// <summary>From now on <paramref name="path"/> answers 503, over what <see cref="Serve"/> set.</summary>
    public void GoDown(string path) => Server.Given(Request.Create().WithPath(path)).AtPriority(1).RespondWith(Status(503));

    public void Dispose() => Server.Stop();
}
