using System.Net;
using System.Net.Http.Json;
using System.Text;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Every kind of body a caller sends, through each preset against a server that answers 503 and then 200: every attempt
/// that reaches the server carries the same bytes and the same content headers, and a request the preset may not
/// repeat reaches it once.
/// </summary>
public sealed class EveryAttemptBodyTests(RecordingServer server) : IClassFixture<RecordingServer>
{
    private static readonly string[] ContentHeaders = ["Content-Type", "Content-Length", "Transfer-Encoding", "Content-MD5", "Content-Digest", "Content-Language"];

    private static readonly byte[] Large = Enumerable.Range(0, 3 * 1024 * 1024).Select(i => (byte)(i % 253)).ToArray();

    private static int _paths;

    public static TheoryData<string, string, string, bool, int> Cases()
    {
        // Preset, method, body, with a caller's key, sends expected against 503 then 200.
        (string Preset, string Method, bool Key, int Sends)[] rows =
        [
            (ResiliencePresetNames.ReadOnlyApi, "GET", false, 2),
            (ResiliencePresetNames.ReadOnlyApi, "POST", false, 1),
            (ResiliencePresetNames.ReadOnlyApi, "PUT", false, 1),
            (ResiliencePresetNames.IdempotentWrite, "PUT", false, 2),
            (ResiliencePresetNames.IdempotentWrite, "POST", false, 1),
            (ResiliencePresetNames.IdempotentWrite, "POST", true, 2),
            (ResiliencePresetNames.IdempotentWrite, "PATCH", true, 2),
            (ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", false, 2),
            (ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", true, 2),
        ];
        var data = new TheoryData<string, string, string, bool, int>();
        foreach (var row in rows)
        {
            foreach (var body in Bodies)
            {
                data.Add(row.Preset, row.Method, body, row.Key, row.Sends);
            }
        }

        return data;
    }

    private static readonly string[] Bodies =
    [
        "string", "bytes", "subclassed bytes", "json", "forward-only stream", "seekable stream not at 0", "multipart",
        "form", "different bytes per write", "3 MiB forward-only stream", "empty", "chunked", "content headers",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Body_RetriedAfter503_EveryAttemptCarriesTheSameBytesAndContentHeaders(string preset, string method, string body, bool key, int sends)
    {
        var path = server.Script($"/body/{Interlocked.Increment(ref _paths)}", ServerAnswer.WithStatus(503), ServerAnswer.Ok);
        using var api = PresetClient.Create(preset, server.Url);
        var (content, expected) = Create(body);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
        if (key)
        {
            request.Headers.Add("Idempotency-Key", "order-7");
        }

        if (body == "chunked")
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await api.Client.SendAsync(request);

        var received = server.Requests(path);
        Assert.Equal(sends, received.Count);
        Assert.Equal(sends == 2 ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var first = received[0];
        Assert.NotNull(first.Body);
        if (expected is not null)
        {
            Assert.Equal(expected, first.Body);
        }

        foreach (var attempt in received.Skip(1))
        {
            Assert.Equal(first.Body, attempt.Body);
            Assert.Equal(first.Header("Idempotency-Key"), attempt.Header("Idempotency-Key"));
            foreach (var header in ContentHeaders)
            {
                Assert.Equal(first.Header(header), attempt.Header(header));
            }
        }

        if (body == "content headers")
        {
            Assert.All(received, r => Assert.Equal(["Q2hlY2s="], r.Header("Content-MD5")));
            Assert.All(received, r => Assert.Equal(["sha-256=:abc=:"], r.Header("Content-Digest")));
        }
    }

    // Regression: a type derived from ByteArrayContent was taken to repeat exactly and was not buffered, so a body that
    // writes other bytes on each send (one that signs itself with the time) went out different on the retry.
    [Fact]
    public async Task ByteArrayContentSubclassWritingNewBytesPerSend_RetriedAfter503_SendsItsFirstBytesAgain()
    {
        var path = server.Script($"/body/{Interlocked.Increment(ref _paths)}", ServerAnswer.WithStatus(503), ServerAnswer.Ok);
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url);

        using var response = await api.Client.PostAsync(path, new CountingByteArrayContent());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(server.Requests(path), r => Assert.Equal("{\"write\":1}"u8.ToArray(), r.Body));
        Assert.Equal(2, server.Requests(path).Count);
    }

    private static (HttpContent Content, byte[]? Expected) Create(string body)
    {
        var text = "{\"amount\":100,\"currency\":\"EUR\"}"u8.ToArray();
        switch (body)
        {
            case "string":
                return (new StringContent("{\"amount\":100,\"currency\":\"EUR\"}", Encoding.UTF8, "application/json"), text);
            case "bytes":
                return (new ByteArrayContent(text), text);
            case "subclassed bytes":
                return (new CountingByteArrayContent(), null);
            case "json":
                return (JsonContent.Create(new { amount = 100, currency = "EUR" }), text);
            case "forward-only stream":
                return (new StreamContent(new ForwardOnlyStream(text)), text);
            case "seekable stream not at 0":
                var seekable = new MemoryStream([.. "xxxxx"u8, .. text]) { Position = 5 };
                return (new StreamContent(seekable), text);
            case "multipart":
                var multipart = new MultipartFormDataContent
                {
                    { new StringContent("100"), "amount" },
                    { new StreamContent(new ForwardOnlyStream(ForwardOnlyStream.Payload)), "receipt", "receipt.bin" },
                };
                return (multipart, null);
            case "form":
                return (new FormUrlEncodedContent([new("amount", "100"), new("currency", "EUR")]), "amount=100&currency=EUR"u8.ToArray());
            case "different bytes per write":
                return (new DifferentEachTimeContent(), null);
            case "3 MiB forward-only stream":
                return (new StreamContent(new ForwardOnlyStream(Large)), Large);
            case "empty":
                return (new StreamContent(new ForwardOnlyStream([])), []);
            case "chunked":
                return (new StringContent("{\"amount\":100,\"currency\":\"EUR\"}", Encoding.UTF8, "application/json"), text);
            case "content headers":
                var content = new ByteArrayContent(text);
                content.Headers.ContentMD5 = Convert.FromBase64String("Q2hlY2s=");
                content.Headers.TryAddWithoutValidation("Content-Digest", "sha-256=:abc=:");
                content.Headers.ContentLanguage.Add("de");
                return (content, text);
            default:
                throw new ArgumentOutOfRangeException(nameof(body), body, null);
        }
    }

    /// <summary>A body that writes other bytes each time it is serialized, as a body that signs itself with the time does.</summary>
    private sealed class DifferentEachTimeContent : HttpContent
    {
        private int _writes;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            => stream.WriteAsync(Encoding.ASCII.GetBytes($"{{\"write\":{Interlocked.Increment(ref _writes)}}}")).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A <see cref="ByteArrayContent"/> subclass that adds its own bytes on each write, as a signing body might.</summary>
    private sealed class CountingByteArrayContent() : ByteArrayContent("{}"u8.ToArray())
    {
        private int _writes;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
            => await stream.WriteAsync(Encoding.ASCII.GetBytes($"{{\"write\":{Interlocked.Increment(ref _writes)}}}"), cancellationToken);

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = "{\"write\":1}".Length;
            return true;
        }
    }
}
