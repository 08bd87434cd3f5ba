namespace ResiliencePresets;

/// <summary>
/// Which response paused a client: its status code, the header that named the wait, the request's method and URL
/// (scheme, host and path only: no query string), and the limit the server named, if any.
/// </summary>
internal sealed record ClientPauseReason(int StatusCode, string HeaderName, string Method, string Url, string? Scope = null)
{
    public static ClientPauseReason From(HttpResponseMessage response, string headerName, string? scope = null)
        => new((int)response.StatusCode, headerName, response.RequestMessage?.Method.Method ?? "(no method)", SafeUrl.From(response.RequestMessage?.RequestUri), scope);
}
