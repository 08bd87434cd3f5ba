using Microsoft.Extensions.DependencyInjection;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Hedging;

/// <summary>
/// With hedging on and a hedge due after 20 ms, requests the gate refuses reach a server that never answers once,
/// however the body or the key got there.
/// </summary>
public sealed class HedgeGateOnTheWireTests(RecordingServer server) : IClassFixture<RecordingServer>
{
    private static int _paths;

    public static TheoryData<string, string> Requests() => new()
    {
        { ResiliencePresetNames.ReadOnlyApi, "GET with a key in DefaultRequestHeaders" },
        { ResiliencePresetNames.ReadOnlyApi, "GET with a blank key" },
        { ResiliencePresetNames.ReadOnlyApi, "GET with the key header in another case" },
        { ResiliencePresetNames.ReadOnlyApi, "GET with an empty body" },
        { ResiliencePresetNames.ReadOnlyApi, "bodiless POST" },
        { ResiliencePresetNames.ReadOnlyApi, "bodiless DELETE" },
        { ResiliencePresetNames.IdempotentWrite, "bodiless DELETE" },
        { ResiliencePresetNames.IdempotentWrite, "bodiless PUT" },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task RequestTheGateRefuses_FirstAttemptNeverAnswers_ReachesTheServerOnce(string preset, string kind)
    {
        var path = server.Script($"/hedge/{Interlocked.Increment(ref _paths)}", ServerAnswer.Stall);
        var counter = new AttemptCounter();
        using var api = PresetClient.Create(
            preset,
            server.Url,
            o =>
            {
                o.Retry.MaxRetryAttempts = 0;
                o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
                o.Hedging.Enabled = true;
                o.Hedging.Percentile = 0;
                o.Hedging.Delay = TimeSpan.FromMilliseconds(20);
            },
            client: b => b.AddHttpMessageHandler(() => counter));

        // A warm connection, so that the first attempt reaches the server well inside its timeout on a busy machine.
        await RecordingServer.WarmAsync(api.Client);
        var warm = counter.Attempts;
        using var request = Create(api.Client, kind, path);

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => api.Client.SendAsync(request));

        // Sent once, counted where it leaves the client (a hedge is an attempt of its own there); the server saw it at
        // most once, as the timeout may end the connection before a busy server has read the request.
        Assert.Equal(1, counter.Attempts - warm);
        Assert.InRange(server.Requests(path).Count, 0, 1);
    }

    private static HttpRequestMessage Create(HttpClient client, string kind, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        switch (kind)
        {
            case "GET with a key in DefaultRequestHeaders":
                client.DefaultRequestHeaders.Add("Idempotency-Key", "k-1");
                break;
            case "GET with a blank key":
                request.Headers.TryAddWithoutValidation("Idempotency-Key", " ");
                break;
            case "GET with the key header in another case":
                request.Headers.Add("idempotency-KEY", "k-2");
                break;
            case "GET with an empty body":
                request.Content = new ByteArrayContent([]);
                break;
            default:
                request.Method = new HttpMethod(kind.Split(' ')[1]);
                break;
        }

        return request;
    }
}
