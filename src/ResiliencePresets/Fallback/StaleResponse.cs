using System.Runtime.CompilerServices;

namespace ResiliencePresets;

/// <summary>
/// Tells whether a response is a stale answer: a kept response that a preset with <c>Fallback:StaleIfError</c> returned
/// because the request failed.
/// </summary>
/// <remarks>
/// A stale answer also says so on the wire, for code that sees only headers: an <c>Age</c> header (RFC 9111 §5.1, in
/// seconds) and a <c>Cache-Status</c> member (RFC 9211) such as
/// <c>ResiliencePresets; fwd=stale; fwd-status=503; ttl=-42; detail=stale-if-error</c>, where <c>fwd-status</c> is the
/// failed status (absent when the failure was an exception or a refusal) and <c>ttl</c> the freshness left, negative
/// once the response's own lifetime is past. <see cref="IsStale(HttpResponseMessage)"/> does not read those headers, so
/// a server cannot make a response look stale.
/// </remarks>
public static class StaleResponse
{
    /// <summary>The name this library gives itself in a stale answer's <c>Cache-Status</c> header.</summary>
    public const string CacheName = "ResiliencePresets";

    private static readonly ConditionalWeakTable<HttpResponseMessage, object> Answers = [];
    private static readonly object Marker = new();

    /// <summary>
    /// Returns whether <paramref name="response"/> is a stale answer given by a preset instead of a failure.
    /// </summary>
    /// <param name="response">A response returned by an <see cref="HttpClient"/>.</param>
    /// <returns><see langword="true"/> for a stale answer; <see langword="false"/> for a response from the server.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="response"/> is <see langword="null"/>.</exception>
    public static bool IsStale(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Answers.TryGetValue(response, out _);
    }

    internal static void Mark(HttpResponseMessage response) => Answers.AddOrUpdate(response, Marker);
}
