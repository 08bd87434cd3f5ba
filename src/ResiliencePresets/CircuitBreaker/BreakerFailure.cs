namespace ResiliencePresets;

/// <summary>
/// Decides which attempts count as failures for the circuit breaker: signs that the dependency is unhealthy, not that
/// the caller asked for something wrong or too fast.
/// </summary>
/// <remarks>
/// A transient exception (connection refused, reset, attempt timeout) is a failure; a caller's cancellation, an open
/// breaker and other non-transient exceptions are not. A response is a failure when the status table would retry it,
/// unless it is a rate signal (<see cref="RateSignal"/>): a 429 (a 403 or an nginx refusal read as 429 included) or a
/// 503 with a wait or quota header, or with a remaining count of 0, never is, whatever wait it names. So a 404, a 401 or a storm of 429s never opens the
/// breaker, and a dependency that answers every request with 500 and <c>Retry-After</c>, or with a bare 503, does.
/// </remarks>
internal static class BreakerFailure
{
    /// <param name="verdict">The attempt's verdict.</param>
    public static bool IsFailure(in AttemptVerdict verdict) => verdict.IsResponse
        ? verdict.Rule.IsRetry && !RateSignal.IsRateSignal(verdict)
        : verdict.Failure != TransportFailureKind.NotTransient;
}
