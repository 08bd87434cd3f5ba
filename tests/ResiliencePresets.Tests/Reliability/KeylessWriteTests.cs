using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// A POST without a key, under the presets that never stamp one, reaches the server once whatever fails after it may
/// have arrived; the same POST with a key is retried, as a check that the failure was one the preset retries.
/// </summary>
public sealed class KeylessWriteTests(RecordingServer server) : IClassFixture<RecordingServer>
{
    private static int _paths;

    public static TheoryData<string, string> Failures()
    {
        var data = new TheoryData<string, string>();
        foreach (var preset in new[] { ResiliencePresetNames.ReadOnlyApi, ResiliencePresetNames.IdempotentWrite })
        {
            foreach (var failure in new[] { "reset after the body", "reset before the body", "stall", "503 Retry-After 0", "500", "429 Retry-After 0", "502" })
            {
                data.Add(preset, failure);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task KeylessPostWithABody_AnyFailure_ReachesTheServerOnce(string preset, string failure)
    {
        var path = server.Script($"/keyless/{Interlocked.Increment(ref _paths)}", Answer(failure), ServerAnswer.Ok);
        var counter = new AttemptCounter();
        using var api = await ClientAsync(preset, failure, counter);
        var warm = counter.Attempts;

        await Send(api, path, key: null);

        // Sent once, counted where it leaves the client; the server saw it at most once (a stalled attempt's timeout
        // may end its connection before a busy server has read it, so the server's count may be 0 there).
        Assert.Equal(1, counter.Attempts - warm);
        Assert.InRange(server.Requests(path).Count, failure == "stall" ? 0 : 1, 1);
    }

    [Theory]
    [InlineData("reset after the body")]
    [InlineData("reset before the body")]
    [InlineData("stall")]
    [InlineData("503 Retry-After 0")]
    public async Task KeyedPostUnderIdempotentWrite_SameFailure_IsRetriedWithTheSameKeyAndBytes(string failure)
    {
        var path = server.Script($"/keyless/{Interlocked.Increment(ref _paths)}", Answer(failure), ServerAnswer.Ok);
        var counter = new AttemptCounter();
        using var api = await ClientAsync(ResiliencePresetNames.IdempotentWrite, failure, counter);
        var warm = counter.Attempts;

        using var response = await api.Client.SendAsync(Request(path, key: "order-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = server.Requests(path);
        var sent = counter.Attempts - warm;
        if (failure == "stall")
        {
            // The retry has the stall's 300 ms too, which a busy machine may outlast; the server may not have read an
            // attempt its timeout ended.
            Assert.InRange(sent, 2, 5);
            Assert.InRange(received.Count, 1, sent);
        }
        else
        {
            Assert.Equal(2, sent);
            Assert.Equal(2, received.Count);
        }

        Assert.All(received, r => Assert.Equal(["order-1"], r.Header("Idempotency-Key")));
        Assert.Equal("{\"amount\":1}"u8.ToArray(), received[^1].Body);
        if (received[0].Body is { } first)
        {
            Assert.Equal(first, received[^1].Body);
        }
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi)]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    public async Task BodilessKeylessPost_ResetAfterTheHead_ReachesTheServerOnce(string preset)
    {
        var path = server.Script($"/keyless/{Interlocked.Increment(ref _paths)}", ServerAnswer.ResetAfterBody, ServerAnswer.Ok);
        using var api = await ClientAsync(preset, "reset after the body", new AttemptCounter());

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.PostAsync(path, content: null));

        var received = Assert.Single(server.Requests(path));
        Assert.Equal(["0"], received.Header("Content-Length"));
    }

    private static async Task Send(PresetClient api, string path, string? key)
    {
        try
        {
            using var response = await api.Client.SendAsync(Request(path, key));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            // The failure is the caller's; what matters is what reached the server.
        }
    }

    private static HttpRequestMessage Request(string path, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{\"amount\":1}") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    private static ServerAnswer Answer(string failure) => failure switch
    {
        "reset after the body" => ServerAnswer.ResetAfterBody,
        "reset before the body" => ServerAnswer.ResetBeforeBody,
        "stall" => ServerAnswer.Stall,
        "503 Retry-After 0" => ServerAnswer.WithStatus(503, ("Retry-After", "0")),
        "429 Retry-After 0" => ServerAnswer.WithStatus(429, ("Retry-After", "0")),
        _ => ServerAnswer.WithStatus(int.Parse(failure, System.Globalization.CultureInfo.InvariantCulture)),
    };

    // Only a stall needs a short attempt timeout; every other failure is an answer, which a busy machine must not turn
    // into a timeout. A warm connection, so that a first attempt reaches the server well inside its timeout.
    private async Task<PresetClient> ClientAsync(string preset, string failure, AttemptCounter counter)
    {
        var api = PresetClient.Create(
            preset,
            server.Url,
            o =>
            {
                PresetClient.FastBackoff(o);
                o.AttemptTimeout = failure == "stall" ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(30);
                o.CircuitBreaker.Enabled = false;
            },
            client: b => b.AddHttpMessageHandler(() => counter));
        await RecordingServer.WarmAsync(api.Client);
        return api;
    }
}
