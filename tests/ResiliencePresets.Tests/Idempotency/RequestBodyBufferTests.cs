using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Idempotency;

/// <summary>
/// A body that can be read once is loaded into a buffer before the first attempt only when the preset may retry the
/// request (a keyless POST under IdempotentWrite may be: after a failure that proves the server never saw it); otherwise
/// (its method rule is Never, or Retry:MaxRetryAttempts is 0) it is streamed as it is. On the wire, a buffered body has a Content-Length, and a stream of
/// unknown length is sent chunked.
/// </summary>
public sealed class RequestBodyBufferTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public RequestBodyBufferTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, 3, true)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, 0, false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, 2, true)] // keyless, but retried when the server never saw it
    [InlineData(ResiliencePresetNames.ReadOnlyApi, 4, false)]
    public async Task Post_BodyReadableOnce_IsBufferedOnlyWhenThePresetMayRetryIt(string preset, int retries, bool buffered)
    {
        var path = _server.Respond($"/bodies/{preset}/{retries}", Status(200));
        using var api = PresetClient.Create(preset, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.Retry.MaxRetryAttempts = retries;
        });

        using var response = await api.Client.PostAsync(path, new StreamContent(new ForwardOnlyStream(ForwardOnlyStream.Payload)));

        var request = Assert.Single(_server.Requests(path)).RequestMessage;
        Assert.Equal(ForwardOnlyStream.Payload, request.BodyAsBytes);
        Assert.Equal(buffered, request.Headers!.ContainsKey("Content-Length"));
        Assert.Equal(!buffered, request.Headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked"));
    }
}
