namespace ResiliencePresets;

/// <summary>
/// Stale-if-error: when a GET or HEAD request fails for good, the client answers it with the last good response to the
/// same request, if that response is recent enough, marked as stale. Off unless <see cref="StaleIfError"/> is set.
/// Configuration section: <c>Fallback</c>.
/// </summary>
/// <remarks>
/// <para>
/// A request has failed for good when its last attempt ended in 500, 502, 503 or 504 (the errors of RFC 5861), in a
/// transport failure or a timeout, or when it was refused because the circuit breaker is open, the client is paused
/// for longer than the time left (<see cref="ClientPausedException"/>) or its rate limiter's queue is full. A stale
/// answer carries an <c>Age</c> header and a <c>Cache-Status</c> member (RFC 9211) named <c>ResiliencePresets</c>, and
/// <see cref="StaleResponse.IsStale(HttpResponseMessage)"/> tells code so.
/// </para>
/// <para>
/// Responses are kept through <c>Microsoft.Extensions.Caching.Hybrid</c>'s <c>HybridCache</c>: in memory, and in the
/// application's <c>IDistributedCache</c> as a second level when one is registered. The key separates callers by their
/// <c>Authorization</c>, <c>Proxy-Authorization</c> and <c>Cookie</c> headers and is a SHA-256 digest, so it holds no
/// header value and no URL. A response marked <c>no-store</c>, <c>private</c>, <c>no-cache</c>, <c>must-revalidate</c>
/// or <c>proxy-revalidate</c>, or with <c>Vary: *</c>, is not kept; other <c>Vary</c> headers are honored.
/// </para>
/// </remarks>
public sealed class ResiliencePresetFallbackOptions
{
    /// <summary>
    /// Gets or sets how old a kept response may be and still answer a failed request; 00:00:00 turns stale-if-error off.
    /// A server's <c>Cache-Control: stale-if-error=N</c> can allow its response to answer for longer: up to its freshness
    /// lifetime plus N seconds, at most one day. Valid: 00:00:00 (off), or 00:00:01 to 1.00:00:00.
    /// </summary>
    /// <value>Default: 00:00:00.</value>
    public TimeSpan StaleIfError { get; set; }

    /// <summary>
    /// Gets or sets how many responses the client keeps; the least recently stored goes first. Valid: 1 to 1000000.
    /// </summary>
    /// <value>Default: 1000.</value>
    public int MaxEntries { get; set; } = 1000;

    /// <summary>
    /// Gets or sets the largest body kept, in bytes. A larger response, or one without <c>Content-Length</c> whose body
    /// grows past this, is delivered in full and not kept. Valid: 0 to 16777216.
    /// </summary>
    /// <value>Default: 65536.</value>
    public int MaxBodyBytes { get; set; } = 65536;
}
