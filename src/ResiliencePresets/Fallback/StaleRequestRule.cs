namespace ResiliencePresets;

/// <summary>
/// Decides which requests take part in stale-if-error: GET and HEAD (the safe methods whose responses a cache may keep,
/// RFC 9110 §9.2.1 and RFC 9111 §3), with an absolute URL, unless the request itself says <c>Cache-Control: no-store</c>
/// (keep nothing of it) or <c>no-cache</c> (use nothing kept without asking the server). Every other request passes
/// through untouched: a POST is never answered from storage.
/// </summary>
internal static class StaleRequestRule
{
    public static bool TakesPart(HttpRequestMessage request)
        => (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
            && request.RequestUri is { IsAbsoluteUri: true }
            && request.Headers.CacheControl is not ({ NoStore: true } or { NoCache: true });
}
