using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Presets;

public sealed class PaymentWithIdempotencyKeyTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public PaymentWithIdempotencyKeyTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task Post_WithoutKey_GetsOneNewKeySentIdenticallyOnEveryAttempt()
    {
        var path = _server.Respond("/charges", Status(503), Status(500), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);

        using var response = await api.Client.PostAsync(path, new StringContent("{\"amount\":100}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = _server.Requests(path).Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.Equal(3, keys.Count);
        Assert.True(Guid.TryParse(keys[0], out _), $"'{keys[0]}' is not a UUID");
        Assert.All(keys, key => Assert.Equal(keys[0], key));
    }

    // The README's "those of IdempotentWrite": a method no rule names is stamped (it is not safe) but never sent again.
    [Fact]
    public async Task CustomMethodAnswered503_IsSentOnceWithAStampedKey()
    {
        var path = _server.Respond("/purge", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);

        using var response = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod("PURGE"), path));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var key = Assert.Single(_server.Requests(path)).RequestMessage.Headers!["Idempotency-Key"].Single();
        Assert.True(Guid.TryParse(key, out _), $"'{key}' is not a UUID");
    }

    [Fact]
    public async Task Post_TwoLogicalSends_GetDifferentKeys()
    {
        var path = _server.Respond("/two-charges", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);

        using var first = await api.Client.PostAsync(path, new StringContent("a"));
        using var second = await api.Client.PostAsync(path, new StringContent("b"));

        var keys = _server.Requests(path).Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.Equal(2, keys.Distinct().Count());
    }

    [Fact]
    public async Task Post_WithCallersKey_KeepsItUnchanged()
    {
        var path = _server.Respond("/own-key", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "invoice-2026-0042");

        using var response = await api.Client.SendAsync(request);

        Assert.All(_server.Requests(path), e => Assert.Equal(["invoice-2026-0042"], e.RequestMessage.Headers!["Idempotency-Key"]));
        Assert.Equal(2, _server.Calls(path));
    }

    // Regression: a blank caller key counted as a key, so nothing was stamped and the payment was retried with the blank key.
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Post_BlankCallersKey_IsReplacedByOneStampedKeySentOnEveryAttempt(string blank)
    {
        using var server = new ClosingServer();
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/charges") { Content = new StringContent("{\"amount\":100}") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", blank);

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.SendAsync(request));

        // The server closes after each request: four attempts, each with exactly one key line on the wire.
        var keys = server.Requests.Select(head => Assert.Single(ClosingServer.HeaderValues(head, "Idempotency-Key"))).ToList();
        Assert.Equal(4, keys.Count);
        Assert.True(Guid.TryParseExact(keys[0], "D", out _), $"'{keys[0]}' is not a UUID");
        Assert.All(keys, key => Assert.Equal(keys[0], key));
        Assert.Equal(keys[0], Assert.Single(request.Headers.GetValues("Idempotency-Key")));
    }

    // Regression: a key on request.Content.Headers was not seen, so a second key was stamped and both went on the wire.
    [Fact]
    public async Task Post_CallersKeyOnTheContent_IsTheOnlyKeySentOnEveryAttempt()
    {
        using var server = new ClosingServer();
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url);
        var content = new StringContent("{\"amount\":100}");
        content.Headers.TryAddWithoutValidation("Idempotency-Key", "invoice-2026-0042");

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.PostAsync("/charges", content));

        Assert.Equal(4, server.Requests.Count);
        Assert.All(server.Requests, head => Assert.Equal(["invoice-2026-0042"], ClosingServer.HeaderValues(head, "Idempotency-Key")));
    }

    // Regression: a key on request.Content.Headers was not seen, so a second key was stamped and both went on the wire.
    [Fact]
    public async Task Post_NonSeekableStreamBodyWithCallersKeyOnTheContent_IsSentByteIdenticalWithThatKeyOnEveryAttempt()
    {
        var path = _server.Respond("/stream-own-key", Status(502), Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);
        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)(i % 251)).ToArray();
        var content = new StreamContent(new ForwardOnlyStream(payload));
        content.Headers.TryAddWithoutValidation("Idempotency-Key", "invoice-2026-0043");

        using var response = await api.Client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = _server.Requests(path);
        Assert.Equal(3, requests.Count);
        Assert.All(requests, e => Assert.Equal(payload, e.RequestMessage.BodyAsBytes));
        Assert.All(requests, e => Assert.Equal(["invoice-2026-0043"], e.RequestMessage.Headers!["Idempotency-Key"]));
    }

    [Fact]
    public async Task Post_CallersKeyInDefaultRequestHeaders_IsTheOnlyKeySentOnEveryAttempt()
    {
        using var server = new ClosingServer();
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url);
        api.Client.DefaultRequestHeaders.TryAddWithoutValidation("Idempotency-Key", "batch-2026-11");

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.PostAsync("/charges", new StringContent("{}")));

        Assert.Equal(4, server.Requests.Count);
        Assert.All(server.Requests, head => Assert.Equal(["batch-2026-11"], ClosingServer.HeaderValues(head, "Idempotency-Key")));
    }

    // Regression: a request with two caller keys was retried although no single key could make the repeat safe.
    [Fact]
    public async Task Post_TwoCallersKeys_GetsNoThirdAndIsSentOnce()
    {
        using var server = new ClosingServer();
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/charges") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "order-42");
        request.Content.Headers.TryAddWithoutValidation("Idempotency-Key", "order-43");

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.SendAsync(request));

        var head = Assert.Single(server.Requests);
        Assert.Equal(["order-42", "order-43"], ClosingServer.HeaderValues(head, "Idempotency-Key"));
    }

    [Fact]
    public async Task Get_IsSafeAndGetsNoKey()
    {
        var path = _server.Respond("/balance", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(_server.Requests(path), e => Assert.False(e.RequestMessage.Headers!.ContainsKey("Idempotency-Key")));
    }

    [Fact]
    public async Task Post_NonSeekableStreamBody_IsSentByteIdenticalOnEveryAttempt()
    {
        var path = _server.Respond("/stream-charge", Status(502), Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);
        var payload = Enumerable.Range(0, 70_000).Select(i => (byte)(i % 251)).ToArray();

        using var response = await api.Client.PostAsync(path, new StreamContent(new ForwardOnlyStream(payload)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bodies = _server.Requests(path).Select(e => e.RequestMessage.BodyAsBytes).ToList();
        Assert.Equal(3, bodies.Count);
        Assert.All(bodies, body => Assert.Equal(payload, body));
    }

    [Fact]
    public async Task Post_409KeyStillInFlight_IsRetried()
    {
        var path = _server.Respond("/in-flight", Status(409), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);

        using var response = await api.Client.PostAsync(path, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task Post_422KeyReusedWithDifferentPayload_IsNeverRetried()
    {
        var path = _server.Respond("/key-reused", Status(422), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, _server.Url);

        using var response = await api.Client.PostAsync(path, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task Post_AttemptTimeout_IsRetriedWithTheSameKey()
    {
        var path = _server.RespondSlowOnce("/slow-charge", TimeSpan.FromSeconds(3));
        var counter = new AttemptCounter();
        using var api = PresetClient.Create(
            ResiliencePresetNames.PaymentWithIdempotencyKey,
            _server.Url,
            o =>
            {
                PresetClient.FastBackoff(o);
                o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            },
            client: b => b.AddHttpMessageHandler(() => counter));

        using var response = await api.Client.PostAsync(path, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(counter.Attempts, 2, 4);
    }
}
