using System.Net;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// The primary handler of every benchmarked client: answers from a fixed script of status codes, in turn, without
/// touching the network. Every response carries a <c>Date</c> header, as a real server's does; a 429 also carries
/// <c>Retry-After: 0</c>, so every setup retries it at once.
/// </summary>
internal sealed class CannedResponseHandler : HttpMessageHandler
{
    private readonly HttpStatusCode[] _script;
    private int _next;

    public CannedResponseHandler(params HttpStatusCode[] script) => _script = script;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // One benchmark thread sends one request at a time, so the script needs no synchronization.
        var status = _script[_next];
        _next = (_next + 1) % _script.Length;

        var response = new HttpResponseMessage(status) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("Date", "Mon, 23 Nov 2026 12:00:00 GMT");
        if (status == HttpStatusCode.TooManyRequests)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", "0");
        }

        return Task.FromResult(response);
    }
}
