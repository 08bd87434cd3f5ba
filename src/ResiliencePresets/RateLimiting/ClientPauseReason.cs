namespace ResiliencePresets;

/// <summary>
/// Which response paused a client: its status code, the header that named the wait, and the request's method and URL
/// (scheme, host and path only: no query string).
/// </summary>
internal sealed record ClientPauseReason(int StatusCode, string HeaderName, string Method, string Url)
{
    public static ClientPauseReason From(HttpResponseMessage response, string headerName)
        => new((int)response.StatusCode, headerName, response.RequestMessage?.Method.Method ?? "(no method)", SafeUrl.From(response.RequestMessage?.RequestUri));
}
