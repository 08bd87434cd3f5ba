using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Presets;

public sealed class IdempotentWriteTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public IdempotentWriteTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task IdempotentMethodReturning503_IsRetried(string method)
    {
        var path = _server.Respond($"/idempotent/{method}", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, _server.Url);

        using var response = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task UnkeyedWriteReturning503_IsSentOnce(string method)
    {
        var path = _server.Respond($"/unkeyed/{method}", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, _server.Url);

        using var response = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task KeyedWriteReturning503_IsRetriedWithTheSameKey(string method)
    {
        var path = _server.Respond($"/keyed/{method}", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, _server.Url);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "order-17");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(_server.Requests(path), e => Assert.Equal("order-17", e.RequestMessage.Headers!["Idempotency-Key"].Single()));
        Assert.Equal(2, _server.Calls(path));
    }

    // Regression: a blank key counted as a key, so the POST was retried after it had reached the server.
    [Theory]
    [InlineData("POST", "")]
    [InlineData("PATCH", "  ")]
    public async Task WriteWithBlankKeyReturning503_IsSentOnce(string method, string blank)
    {
        var path = _server.Respond($"/blank-key/{method}", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, _server.Url);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", blank);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    // Regression: a key on request.Content.Headers was not seen, so the keyed POST was not retried.
    [Fact]
    public async Task PostWithKeyOnTheContentReturning503_IsRetriedWithThatKey()
    {
        var path = _server.Respond("/content-key", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, _server.Url);
        var content = new StringContent("{}");
        content.Headers.TryAddWithoutValidation("Idempotency-Key", "order-18");

        using var response = await api.Client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
        Assert.All(_server.Requests(path), e => Assert.Equal(["order-18"], e.RequestMessage.Headers!["Idempotency-Key"]));
    }

    [Fact]
    public async Task PostWithTwoKeysReturning503_IsSentOnce()
    {
        var path = _server.Respond("/two-keys", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, _server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "order-19");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "order-20");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task UnkeyedPost_ConnectionRefused_IsRetriedBecauseItNeverReachedTheServer()
    {
        var counter = new AttemptCounter();
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, ClosedPort.Url(), client: b => b.AddHttpMessageHandler(() => counter));

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.PostAsync("/nothing-listens", new StringContent("x")));

        Assert.Equal(3, counter.Attempts);
    }

    [Fact]
    public async Task KeyHeaderName_FromOptions_IsTheOneThatCounts()
    {
        var path = _server.Respond("/custom-key-header", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.Idempotency.HeaderName = "X-Request-Id";
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.Add("X-Request-Id", "r-1");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
    }
}
