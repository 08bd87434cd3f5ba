using System.Collections.Concurrent;

namespace ResiliencePresets;

/// <summary>
/// Which of a client's <see cref="RateScope">scopes</see> a response teaches, and which hold a request before it is
/// sent. The one place the scope rule is decided.
/// </summary>
/// <remarks>
/// <para><b>Per authority.</b> Every scope belongs to one authority (host and port): a client without a
/// <c>BaseAddress</c> may call several hosts, and a 429 from one must not pause the others. A client with a
/// <c>BaseAddress</c> calls one authority, so for it the authority's scope is the whole client, as before.</para>
/// <para><b>Narrowed where the server names its limit</b> (<see cref="RateScopeName"/>). A response that names no limit
/// teaches its authority's scope, which holds every request to that authority. A response that names one (GitHub's
/// <c>x-ratelimit-resource: search</c>) teaches only that limit's scope, and the limit is remembered for the first
/// segment of the request's path (<c>/search/issues</c>: <c>search</c>; never the query string). A request is held by
/// its authority's scope and by every limit seen on its first path segment, so that GitHub's exhausted search limit
/// holds <c>/search/…</c> but not <c>/repos/…</c> (the core limit). The first segment is the key because that is where
/// APIs that separate limits separate them (GitHub: <c>/search/</c>, <c>/graphql</c>; OpenAI's and Anthropic's
/// limits are per model, not per path, and they name none); the method is left out, because no such API limits by it.
/// A segment seen with several limits is held by all of them: it is never sent past a limit it was seen under. A
/// request on a segment no named limit was seen on is held by its authority's scope only: the first response there
/// teaches the segment.</para>
/// <para><b>Bounded.</b> At most <see cref="MaxScopes"/> scopes and <see cref="MaxRoutes"/> remembered segments per
/// client, and a segment is remembered by its first <see cref="MaxSegmentLength"/> characters. A server cannot create
/// more: past either bound, a named limit teaches its authority's scope instead (holding every request to it, never
/// fewer than the limit would), and a new authority shares one overflow scope with the others past the bound.</para>
/// </remarks>
internal sealed class RateScopes
{
    internal const int MaxScopes = 64;
    internal const int MaxRoutes = 256;
    internal const int MaxSegmentLength = 64;

    private readonly ConcurrentDictionary<(string Authority, string? Name), RateScope> _scopes = new();
    private readonly ConcurrentDictionary<(string Authority, string Segment), RateScope[]> _routes = new();
    private readonly RateScope _overflow = new(string.Empty, null);
    private readonly object _lock = new();
    private volatile bool _engaged;
    private volatile bool _routed;
    private int _count;

    /// <summary>Gets a value indicating whether any response taught a scope, so that a client never limited skips all of this.</summary>
    public bool IsEngaged => _engaged;

    /// <summary>Gets every scope the client has.</summary>
    public IEnumerable<RateScope> All => _scopes.Values.Append(_overflow);

    /// <summary>
    /// Returns the scope a response to <paramref name="uri"/> teaches: the named limit's (remembered for the path's first
    /// segment), or the authority's when the response names none or a bound is reached.
    /// </summary>
    public RateScope Learn(Uri? uri, string? name)
    {
        _engaged = true;
        var authority = AuthorityScope(uri);
        if (name is null || uri is null || ReferenceEquals(authority, _overflow))
        {
            return authority;
        }

        var named = Scope((authority.Authority, name));
        if (named is null)
        {
            return authority;
        }

        var route = (authority.Authority, FirstSegment(uri));
        if (_routes.TryGetValue(route, out var limits) && Array.IndexOf(limits, named) >= 0)
        {
            return named;
        }

        lock (_lock)
        {
            if (!_routes.TryGetValue(route, out limits))
            {
                if (_routes.Count >= MaxRoutes)
                {
                    return authority;
                }

                limits = [];
            }

            if (Array.IndexOf(limits, named) < 0)
            {
                _routes[route] = [.. limits, named];
                _routed = true;
            }
        }

        return named;
    }

    /// <summary>
    /// Returns the scopes that hold a request to <paramref name="uri"/>: its authority's (none when no response from it
    /// taught anything yet), and the limits seen on its first path segment (empty when none). Creates nothing.
    /// </summary>
    public (RateScope? Authority, RateScope[] Limits) For(Uri? uri)
    {
        if (uri is not { IsAbsoluteUri: true })
        {
            return (_overflow, []);
        }

        var authority = uri.Authority;
        if (!_scopes.TryGetValue((authority, null), out var scope))
        {
            // Past the bound, a new authority was taught the overflow scope.
            return (Volatile.Read(ref _count) >= MaxScopes ? _overflow : null, []);
        }

        return _routed && _routes.TryGetValue((authority, FirstSegment(uri)), out var limits) ? (scope, limits) : (scope, []);
    }

    /// <summary>Returns the longest pause any scope still has to run; zero when none is paused.</summary>
    public TimeSpan LongestPause(DateTimeOffset now)
    {
        var longest = TimeSpan.Zero;
        foreach (var scope in All)
        {
            var remaining = scope.Pause.Remaining(now);
            longest = remaining > longest ? remaining : longest;
        }

        return longest;
    }

    private static string FirstSegment(Uri uri)
    {
        var path = uri.AbsolutePath.AsSpan().TrimStart('/');
        var end = path.IndexOf('/');
        var segment = end < 0 ? path : path[..end];
        return segment.Length > MaxSegmentLength ? segment[..MaxSegmentLength].ToString() : segment.ToString();
    }

    private RateScope AuthorityScope(Uri? uri)
        => uri is { IsAbsoluteUri: true } ? Scope((uri.Authority, null)) ?? _overflow : _overflow;

    // The scope for a key, created while fewer than MaxScopes exist; null past the bound.
    private RateScope? Scope((string Authority, string? Name) key)
    {
        if (_scopes.TryGetValue(key, out var scope))
        {
            return scope;
        }

        lock (_lock)
        {
            if (_scopes.TryGetValue(key, out scope))
            {
                return scope;
            }

            if (_count >= MaxScopes)
            {
                return null;
            }

            scope = new RateScope(key.Authority, key.Name);
            _scopes[key] = scope;
            Volatile.Write(ref _count, _count + 1);
            return scope;
        }
    }
}
