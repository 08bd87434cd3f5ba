using System.Globalization;
using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// Decides from a final response whether it is kept to answer later failures of the same request, and on what terms
/// (RFC 9111 and RFC 5861, read once here). Kept: 200, 203 and 204, unless <c>Cache-Control</c> says <c>no-store</c> or
/// <c>private</c> (the response is not for keeping), or <c>no-cache</c>, <c>must-revalidate</c> or
/// <c>proxy-revalidate</c> (RFC 9111 §4.2.4: a stale copy may not be used), or <c>Vary: *</c> (no later request can
/// match it), or it is already older than any window (its <c>Age</c>). Such a response, and any other answer from the
/// server that is not an error (a 404, a redirect), also makes the client forget what it kept for the request: the
/// resource has moved on. Errors and refusals (408, 429, 5xx) leave it kept.
/// </summary>
internal static class StaleStorageRule
{
    private const string StaleIfErrorDirective = "stale-if-error";

    public static StaleStorage Judge(HttpResponseMessage response, TimeSpan staleIfError)
    {
        var status = (int)response.StatusCode;
        if (status is not (200 or 203 or 204))
        {
            return status is 408 or 429 or >= 500 ? StaleStorage.Leave : StaleStorage.Forget;
        }

        var cacheControl = response.Headers.CacheControl;
        if (cacheControl is { NoStore: true } or { Private: true } or { NoCache: true } or { MustRevalidate: true } or { ProxyRevalidate: true })
        {
            return StaleStorage.Forget;
        }

        var vary = response.Headers.Vary;
        if (vary.Any(name => name.Trim() == "*"))
        {
            return StaleStorage.Forget;
        }

        var lifetime = Lifetime(response, cacheControl);
        var grant = ServerGrant(cacheControl);
        var initialAge = response.Headers.Age is { } age && age > TimeSpan.Zero ? age : TimeSpan.Zero;
        if (initialAge >= StaleWindow.MaxAge(staleIfError, lifetime, grant))
        {
            return StaleStorage.Forget;
        }

        var names = vary.Select(name => name.Trim().ToLowerInvariant()).Where(name => name.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new StaleStorage(StaleStorageKind.Keep, new StaleTerms(lifetime, grant, initialAge, names));
    }

    // RFC 9111 §4.2.1: max-age, else Expires minus Date; s-maxage is for shared caches, and a client's own store is not one.
    private static TimeSpan Lifetime(HttpResponseMessage response, CacheControlHeaderValue? cacheControl)
    {
        if (cacheControl?.MaxAge is { } maxAge)
        {
            return maxAge > TimeSpan.Zero ? maxAge : TimeSpan.Zero;
        }

        var expires = response.Content.Headers.Expires;
        var date = response.Headers.Date;
        return expires is { } until && date is { } sent && until > sent ? until - sent : TimeSpan.Zero;
    }

    private static TimeSpan? ServerGrant(CacheControlHeaderValue? cacheControl)
    {
        var directive = cacheControl?.Extensions.FirstOrDefault(e => e.Name.Equals(StaleIfErrorDirective, StringComparison.OrdinalIgnoreCase));
        var value = directive?.Value?.Trim('"');
        return value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, (long)StaleWindow.Longest.TotalSeconds))
            : null;
    }
}
