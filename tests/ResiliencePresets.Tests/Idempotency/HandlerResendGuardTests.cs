using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Idempotency;

public sealed class HandlerResendGuardTests
{
    // Regression: SocketsHttpHandler resent a bodiless POST three more times when the server closed the connection
    // before responding, although the preset never retries a POST without an idempotency key.
    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi)]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    public async Task BodilessPostWithoutKey_ServerClosesBeforeResponding_IsSentOnce(string preset)
    {
        using var server = new ClosingServer();
        using var api = PresetClient.Create(preset, server.Url);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.PostAsync("/charges", content: null));

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        var head = Assert.Single(server.Requests);
        Assert.Contains("\r\nContent-Length: 0", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodilessPostWithCallersKey_ServerClosesBeforeResponding_IsLeftToTheHandlerAndTheRetries()
    {
        using var server = new ClosingServer();
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/charges");
        request.Headers.Add("Idempotency-Key", "refund-2026-0042");

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.SendAsync(request));

        // Three preset attempts, each sent four times by the handler, all with the caller's key.
        Assert.Equal(12, server.Requests.Count);
        Assert.Null(request.Content);
    }

    [Fact]
    public async Task BodilessGet_ServerClosesBeforeResponding_IsLeftToTheHandler()
    {
        using var server = new ClosingServer();
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.Retry.MaxRetryAttempts = 0;
        });

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.GetAsync("/balance"));

        Assert.Equal(4, server.Requests.Count);
        Assert.DoesNotContain("Content-Length", server.Requests.First(), StringComparison.OrdinalIgnoreCase);
    }
}
