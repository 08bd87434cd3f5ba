namespace ResiliencePresets;

/// <summary>
/// What a server-named wait means, one rule for the breaker, the client pause, the retry budget and the retry alike.
/// </summary>
/// <remarks>
/// A 429 or a 503 (effective status: a 403 that is a rate limit counts as 429) that names a wait the client honors (at
/// most <c>Retry:MaxRetryAfter</c>) is a server metering this client in an orderly way, not failing: it is no breaker
/// failure, its retry is not charged to the retry budget (the client pause already holds every request until then),
/// and it pauses the whole client. A 429 or 503 naming a longer wait still pauses the client, for at most
/// <c>Retry:MaxRetryAfter</c>, but counts for the breaker. Any other retryable status that names a wait (a 500 with
/// <c>Retry-After</c>) is retried after that wait, but is a failure for the breaker and the budget: a dependency
/// answering every request with it is down, however politely.
/// </remarks>
internal static class ServerWaitRule
{
    /// <summary>Returns whether the attempt is a server metering the client: a 429 or 503 with a wait the client honors.</summary>
    public static bool IsMetered(in AttemptVerdict verdict, TimeSpan maxRetryAfter)
        => PausesClient(verdict) && verdict.ServerWait!.Value.Delay <= maxRetryAfter;

    /// <summary>Returns whether the attempt pauses every request of its client: a 429 or 503 that names a wait.</summary>
    public static bool PausesClient(in AttemptVerdict verdict) => verdict is { EffectiveStatusCode: 429 or 503, ServerWait: not null };
}
