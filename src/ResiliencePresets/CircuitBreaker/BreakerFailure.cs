namespace ResiliencePresets;

/// <summary>
/// Decides which attempts count as failures for the circuit breaker: signs that the dependency is unhealthy, not that
/// the caller asked for something wrong or too fast.
/// </summary>
/// <remarks>
/// A transient exception (connection refused, reset, attempt timeout) is a failure; a caller's cancellation, an open
/// breaker and other non-transient exceptions are not. A response is a failure when the status table would retry it,
/// unless it is a server metering the client (<see cref="ServerWaitRule.IsMetered"/>: a 429 or 503 naming a wait the
/// client honors). So a 404, a 401 or a polite 429 never opens the breaker, and a dependency that answers every request
/// with 500 and <c>Retry-After</c> does.
/// </remarks>
internal static class BreakerFailure
{
    public static bool IsFailure(in AttemptVerdict verdict, TimeSpan maxRetryAfter) => verdict.IsResponse
        ? verdict.Rule.IsRetry && !ServerWaitRule.IsMetered(verdict, maxRetryAfter)
        : verdict.Failure != TransportFailureKind.NotTransient;
}
