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

    // Regression: with Expect: 100-continue, SocketsHttpHandler resent a keyless POST three more times when the server
    // closed the connection after its head, before the body was sent.
    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi)]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    public async Task KeylessPostWithExpectContinue_ServerClosesAfterTheHead_IsSentOnceWithoutTheExpectation(string preset)
    {
        using var server = new ClosingServer(beforeBody: true);
        using var api = PresetClient.Create(preset, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/charges") { Content = new StringContent("{\"amount\":100}") };
        request.Headers.ExpectContinue = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.SendAsync(request));

        var head = Assert.Single(server.Requests);
        Assert.Empty(ClosingServer.HeaderValues(head, "Expect"));
        Assert.Equal(["14"], ClosingServer.HeaderValues(head, "Content-Length"));
    }

    // Regression: the empty body the guard gives a bodiless POST was resent all the same when it carried Expect: 100-continue.
    [Fact]
    public async Task BodilessPostWithExpectContinue_ServerClosesAfterTheHead_IsSentOnce()
    {
        using var server = new ClosingServer(beforeBody: true);
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/charges");
        request.Headers.ExpectContinue = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.SendAsync(request));

        var head = Assert.Single(server.Requests);
        Assert.Empty(ClosingServer.HeaderValues(head, "Expect"));
    }

    // Regression: the same, with the expectation set on the client for every request.
    [Fact]
    public async Task KeylessPostWithExpectContinueFromDefaultRequestHeaders_ServerClosesAfterTheHead_IsSentOnce()
    {
        using var server = new ClosingServer(beforeBody: true);
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, server.Url);
        api.Client.DefaultRequestHeaders.ExpectContinue = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.PostAsync("/charges", new StringContent("{}")));

        var head = Assert.Single(server.Requests);
        Assert.Empty(ClosingServer.HeaderValues(head, "Expect"));
        Assert.True(api.Client.DefaultRequestHeaders.ExpectContinue);
    }

    [Fact]
    public async Task KeyedPostWithExpectContinue_ServerClosesAfterTheHead_IsLeftToTheHandlerAndTheRetries()
    {
        using var server = new ClosingServer(beforeBody: true);
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/charges") { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "refund-2026-0043");
        request.Headers.ExpectContinue = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.SendAsync(request));

        // Three preset attempts, each sent four times by the handler, all with the caller's key and the expectation.
        Assert.Equal(12, server.Requests.Count);
        Assert.All(server.Requests, head => Assert.Equal(["refund-2026-0043"], ClosingServer.HeaderValues(head, "Idempotency-Key")));
        Assert.All(server.Requests, head => Assert.Equal(["100-continue"], ClosingServer.HeaderValues(head, "Expect")));
    }

    [Fact]
    public async Task PaymentPostWithExpectContinue_ServerClosesAfterTheHead_EveryResendCarriesTheOneStampedKey()
    {
        using var server = new ClosingServer(beforeBody: true);
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/charges") { Content = new StringContent("{}") };
        request.Headers.ExpectContinue = true;

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.SendAsync(request));

        // Four preset attempts, each sent four times by the handler, all with one stamped key.
        Assert.Equal(16, server.Requests.Count);
        var key = Assert.Single(request.Headers.GetValues("Idempotency-Key"));
        Assert.All(server.Requests, head => Assert.Equal([key], ClosingServer.HeaderValues(head, "Idempotency-Key")));
        Assert.Equal(0, server.CompleteRequests);
    }
}
