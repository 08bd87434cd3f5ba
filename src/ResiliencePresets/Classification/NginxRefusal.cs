using System.Net;

namespace ResiliencePresets;

/// <summary>
/// Recognizes a 503 that nginx wrote itself: the status its <c>limit_req</c> and <c>limit_conn</c> refuse the excess
/// with by default, which names no wait. nginx writes its own status line, <c>503 Service Temporarily Unavailable</c>;
/// a 503 it proxies keeps the upstream's reason phrase (ASP.NET Core, IIS, Envoy, HAProxy and Apache httpd write
/// <c>Service Unavailable</c>). Such a 503 is read as a 429 (<see cref="StatusCodeClassifier.EffectiveStatusCode"/>),
/// as a 403 that reports a spent rate limit is.
/// </summary>
/// <remarks>
/// Over HTTP/1.x only: HTTP/2 and HTTP/3 carry no reason phrase, so there nginx's refusal is a bare 503, an outage.
/// nginx writes the same status line for a <c>return 503</c> (a maintenance switch) and for an upstream's 503 that
/// <c>proxy_intercept_errors</c> replaces with an <c>error_page</c>: those are paced as a limit too, not counted by the
/// breaker. An application that writes this reason phrase itself is read the same way.
/// </remarks>
internal static class NginxRefusal
{
    /// <summary>The reason phrase of nginx's own 503 status line.</summary>
    public const string ReasonPhrase = "Service Temporarily Unavailable";

    /// <summary>Returns whether <paramref name="response"/> is a 503 with nginx's own status line.</summary>
    public static bool Is(HttpResponseMessage response)
        => response.StatusCode == HttpStatusCode.ServiceUnavailable &&
            string.Equals(response.ReasonPhrase, ReasonPhrase, StringComparison.OrdinalIgnoreCase);
}
