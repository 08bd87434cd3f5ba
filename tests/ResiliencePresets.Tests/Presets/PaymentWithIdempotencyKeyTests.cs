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

    /// <summary>A body that can be read once, front to back, like a network or pipe stream.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
