using WireMock;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// A search API behind a limiter that names no wait, as nginx's <c>limit_req</c> answers by default: requests spaced
/// closer than the key's interval are refused with a bare 429: no <c>Retry-After</c>, no quota headers. A client can
/// only learn this limit from the refusals themselves.
/// </summary>
internal sealed class SearchEndpoint : IApiEndpoint
{
    public string Method => "GET";

    public string Path => "/v1/search";

    public ResponseMessage Respond(EndpointCall call)
    {
        bool admitted;
        lock (call.Ledger.Gate)
        {
            admitted = call.Ledger.Search.TryAcquire(call.Now);
        }

        if (admitted)
        {
            return Responses.Json(200, $$"""{"query":"widgets","results":[{"id":{{call.RequestId}},"name":"Widget"}]}""");
        }

        call.Ledger.Refuse();
        return Responses.Json(429, """{"error":"Too Many Requests"}""");
    }
}
