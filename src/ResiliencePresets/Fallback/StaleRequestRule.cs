namespace ResiliencePresets;

/// <summary>
/// Decides which requests take part in stale-if-error: GET and HEAD (the safe methods whose responses a cache may keep,
/// RFC 9110 §9.2.1 and RFC 9111 §3), with an absolute URL, unless the request itself says <c>Cache-Control: no-store</c>
/// (keep nothing of it) or <c>no-cache</c> (use nothing kept without asking the server). Every other request passes
/// through untouched: a POST is never answered from storage. A HEAD is answered only from a kept HEAD, never from a GET:
/// the key names the method.
/// </summary>
internal static class StaleRequestRule
{
    public static bool TakesPart(HttpRequestMessage request)
        => (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
            && request.RequestUri is { IsAbsoluteUri: true }
            && CacheControlDirectives.Of(request.Headers) is var cacheControl
            && !cacheControl.Has("no-store")
            && !cacheControl.Has("no-cache");
}
