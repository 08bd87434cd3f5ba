using System.Net;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// What goes on the wire under the idempotency key header, attempt after attempt, wherever and however the caller set
/// it, against a server that answers 503 and then 200.
/// </summary>
public sealed class EveryAttemptKeyTests(RecordingServer server) : IClassFixture<RecordingServer>
{
    private static int _paths;

    private string Path() => server.Script($"/key/{Interlocked.Increment(ref _paths)}", ServerAnswer.WithStatus(503), ServerAnswer.Ok);

    [Theory]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public async Task CallersKey_RetriedAfter503_GoesOnEveryAttemptAsTheOneValueSet(string preset)
    {
        var path = Path();
        using var api = PresetClient.Create(preset, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "order-7");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Requests(path).Count);
        Assert.All(server.Requests(path), r => Assert.Equal(["order-7"], r.Header("Idempotency-Key")));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public async Task KeyInDefaultRequestHeaders_RetriedAfter503_GoesOnEveryAttemptOnce(string preset)
    {
        var path = Path();
        using var api = PresetClient.Create(preset, server.Url);
        api.Client.DefaultRequestHeaders.Add("Idempotency-Key", "client-wide");

        using var response = await api.Client.PostAsync(path, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(server.Requests(path), r => Assert.Equal(["client-wide"], r.Header("Idempotency-Key")));
        Assert.Equal(2, server.Requests(path).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task BlankKeyUnderPayment_RetriedAfter503_IsReplacedByOneStampedKeyOnEveryAttempt(string blank)
    {
        var path = Path();
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", blank);

        using var response = await api.Client.SendAsync(request);

        var received = server.Requests(path);
        Assert.Equal(2, received.Count);
        var key = Assert.Single(received[0].Header("Idempotency-Key"));
        Assert.True(Guid.TryParse(key, out _));
        Assert.Equal([key], received[1].Header("Idempotency-Key"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task BlankKeyUnderIdempotentWrite_Answered503_IsSentOnce(string blank)
    {
        var path = Path();
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", blank);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(server.Requests(path));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public async Task KeyHeaderWithTwoValues_Answered503_IsSentOnceAsTheCallerSetIt(string preset)
    {
        var path = Path();
        using var api = PresetClient.Create(preset, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", ["a", "b"]);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var received = Assert.Single(server.Requests(path));
        Assert.Equal("a, b", string.Join(", ", received.Header("Idempotency-Key")));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public async Task KeyUnderTheConfiguredHeaderNameInAnotherCase_RetriedAfter503_IsTheOneKeyOnEveryAttempt(string preset)
    {
        var path = Path();
        using var api = PresetClient.Create(preset, server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.Idempotency.HeaderName = "x-request-key";
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.Add("X-Request-Key", "order-8");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Requests(path).Count);
        Assert.All(server.Requests(path), r => Assert.Equal(["order-8"], r.Header("X-Request-Key")));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi)]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public async Task SameRequestMessage_SentTwice_IsRefusedTheSecondTimeAndReachesTheServerOnce(string preset)
    {
        var path = server.Script($"/key/{Interlocked.Increment(ref _paths)}", ServerAnswer.Ok);
        using var api = PresetClient.Create(preset, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        using var first = await api.Client.SendAsync(request);

        await Assert.ThrowsAsync<InvalidOperationException>(() => api.Client.SendAsync(request));

        Assert.Single(server.Requests(path));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public async Task KeyedPostWithExpectContinue_RetriedAfter503_KeepsTheExpectationTheKeyAndTheBytes(string preset)
    {
        var path = Path();
        using var api = PresetClient.Create(preset, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StreamContent(new ForwardOnlyStream(ForwardOnlyStream.Payload)) };
        request.Headers.Add("Idempotency-Key", "order-9");
        request.Headers.ExpectContinue = true;

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Requests(path).Count);
        Assert.All(server.Requests(path), r =>
        {
            Assert.Equal(ForwardOnlyStream.Payload, r.Body);
            Assert.Equal(["order-9"], r.Header("Idempotency-Key"));
            Assert.Equal(["100-continue"], r.Header("Expect"));
        });
    }

    [Fact]
    public async Task KeylessPostWithExpectContinue_Answered503_IsSentOnceWithoutTheExpectation()
    {
        var path = Path();
        using var api = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, server.Url);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}") };
        request.Headers.ExpectContinue = true;

        using var response = await api.Client.SendAsync(request);

        var received = Assert.Single(server.Requests(path));
        Assert.Empty(received.Header("Expect"));
        Assert.Equal("{}"u8.ToArray(), received.Body);
    }
}
