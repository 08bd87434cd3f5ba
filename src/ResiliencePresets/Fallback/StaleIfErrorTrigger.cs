using System.Globalization;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace ResiliencePresets;

/// <summary>
/// Decides whether a request's final outcome is a failure that a kept response may answer (stale-if-error), and names
/// it. Errors are RFC 5861's: a 500, 502, 503 or 504 after the last attempt, a transport failure or timeout (what a
/// gateway would have answered with 502 or 504), and the refusals that stand for an unavailable dependency: the circuit
/// breaker open, the client paused beyond the time left, the rate limiter's queue full. A request the caller cancelled,
/// any other status and any other exception are not answered: they are the caller's or the program's, not the
/// dependency's.
/// </summary>
internal static class StaleIfErrorTrigger
{
    public static StaleIfErrorFailure? FailureOf(in Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (outcome.Exception is { } exception)
        {
            var reason = exception switch
            {
                BrokenCircuitException => "circuit_open",
                ClientPausedException => "paused",
                RateLimiterRejectedException => "rate_limited",
                TimeoutRejectedException => "timeout",
                HttpRequestException or IOException or OperationCanceledException => "exception",
                _ => null,
            };
            return reason is null ? null : new StaleIfErrorFailure(reason, ErrorType.Of(exception), StatusCode: null);
        }

        return outcome.Result is { StatusCode: var code } && (int)code is 500 or 502 or 503 or 504
            ? new StaleIfErrorFailure("status", ((int)code).ToString(CultureInfo.InvariantCulture), (int)code)
            : null;
    }
}
