namespace ResiliencePresets;

/// <summary>
/// Decides from a final response whether it is kept to answer later failures of the same request, and on what terms
/// (RFC 9111 and RFC 5861, read once here). Kept: 200, 203 and 204, unless <c>Cache-Control</c> says <c>no-store</c> or
/// <c>private</c> (the response is not for keeping), or <c>no-cache</c>, <c>must-revalidate</c> or
/// <c>proxy-revalidate</c> (RFC 9111 §4.2.4: a stale copy may not be used), each in any form and wherever it stands in
/// the header, or <c>Vary: *</c> or a <c>Vary</c> that cannot be read (no later request can be matched to it), or it
/// is already older than any window (its <c>Age</c>). Such a response, and any other answer from the server that is
/// not an error (a 404, a redirect), also makes the client forget what it kept for the request: the resource has moved
/// on. Errors and refusals (408, 429, 5xx) leave it kept.
/// </summary>
internal static class StaleStorageRule
{
    private static readonly string[] ForbiddingDirectives = ["no-store", "private", "no-cache", "must-revalidate", "proxy-revalidate"];

    public static StaleStorage Judge(HttpResponseMessage response, TimeSpan staleIfError)
    {
        var status = (int)response.StatusCode;
        if (status is not (200 or 203 or 204))
        {
            return status is 408 or 429 or >= 500 ? StaleStorage.Leave : StaleStorage.Forget;
        }

        var cacheControl = CacheControlDirectives.Of(response.Headers);
        if (Array.Exists(ForbiddingDirectives, cacheControl.Has) || VaryNames(response) is not { } names)
        {
            return StaleStorage.Forget;
        }

        var lifetime = Lifetime(response, cacheControl);
        var grant = cacheControl.TryGetFirst("stale-if-error", out var granted) && DeltaSeconds.Read(granted) is { } seconds
            ? (seconds < StaleWindow.Longest ? seconds : StaleWindow.Longest)
            : (TimeSpan?)null;
        var initialAge = InitialAge(response);
        if (initialAge >= StaleWindow.MaxAge(staleIfError, lifetime, grant))
        {
            return StaleStorage.Forget;
        }

        return new StaleStorage(StaleStorageKind.Keep, new StaleTerms(lifetime, grant, initialAge, names));
    }

    // RFC 9111 §4.2.1: max-age, else Expires minus Date; s-maxage is for shared caches, and a client's own store is not
    // one. A max-age that is not a number, and an Expires or Date that is not a date, are a response already stale.
    private static TimeSpan Lifetime(HttpResponseMessage response, CacheControlDirectives cacheControl)
    {
        if (cacheControl.TryGetFirst("max-age", out var maxAge))
        {
            return DeltaSeconds.Read(maxAge) ?? TimeSpan.Zero;
        }

        var expires = response.Content.Headers.Expires;
        var date = response.Headers.Date;
        return expires is { } until && date is { } sent && sent != DateTimeOffset.MinValue && until > sent ? until - sent : TimeSpan.Zero;
    }

    // RFC 9111 §5.1: the first value of the first line, parameters aside; one that is not a whole number of seconds is
    // ignored, and one past 2^31 is read as 2^31, so a response that says it is ancient is never kept as new.
    private static TimeSpan InitialAge(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Age", out var lines) || lines.FirstOrDefault() is not { } line)
        {
            return TimeSpan.Zero;
        }

        var value = line.AsSpan();
        var end = value.IndexOfAny(',', ';');
        return DeltaSeconds.Read((end < 0 ? value : value[..end]).Trim(" \t")) ?? TimeSpan.Zero;
    }

    // RFC 9110 §12.5.5: field names, without case, once, sorted; null when a member is "*" or not a field name at all,
    // since no later request can be matched against it.
    private static string[]? VaryNames(HttpResponseMessage response)
    {
        if (!response.Headers.NonValidated.TryGetValues("Vary", out var lines))
        {
            return [];
        }

        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            foreach (var member in line.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (member == "*" || !IsToken(member))
                {
                    return null;
                }

                names.Add(member.ToLowerInvariant());
            }
        }

        return [.. names];
    }

    private static bool IsToken(string text)
    {
        foreach (var c in text)
        {
            if (c is <= ' ' or >= '\u007f' or '"' or '(' or ')' or ',' or '/' or ':' or ';' or '<' or '=' or '>' or '?' or '@' or '[' or '\\' or ']' or '{' or '}')
            {
                return false;
            }
        }

        return true;
    }
}
