using System.Net;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// The primary handler of the shared-state benchmarks' quota clients: answers 200 with a quota of a million requests
/// per second (<c>RateLimit-Remaining: 1000000</c>, <c>RateLimit-Reset: 1</c>), a pace no benchmark loop reaches, so
/// that what is measured is the pacing's bookkeeping, never a wait. When <c>throttleFirst</c>, the first answer is a
/// bare 429 instead: a rate signal that engages the client's learned rate, which the quota then sets.
/// </summary>
internal sealed class QuotaResponseHandler(bool throttleFirst) : HttpMessageHandler
{
    private bool _throttle = throttleFirst;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // One benchmark thread sends one request at a time: the flag needs no synchronization.
        var response = new HttpResponseMessage(_throttle ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("Date", "Mon, 23 Nov 2026 12:00:00 GMT");
        if (!_throttle)
        {
            response.Headers.TryAddWithoutValidation("RateLimit-Remaining", "1000000");
            response.Headers.TryAddWithoutValidation("RateLimit-Reset", "1");
        }

        _throttle = false;
        return Task.FromResult(response);
    }
}
