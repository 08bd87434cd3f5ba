namespace ResiliencePresets;

/// <summary>
/// What a server-named wait means for the client pause and the retry budget.
/// </summary>
/// <remarks>
/// A 429 or a 503 (effective status: a 403 that is a rate limit counts as 429) that names a wait pauses the whole
/// client, for at most <c>Retry:MaxRetryAfter</c>. When the client honors the wait (at most <c>Retry:MaxRetryAfter</c>)
/// the server is metering the client in an orderly way: its retry is not charged to the retry budget, since the client
/// pause already holds every request until then. Any other retryable status that names a wait (a 500 with
/// <c>Retry-After</c>) is retried after that wait, but is a failure for the breaker and the budget: a dependency
/// answering every request with it is down, however politely. Whether an attempt counts for the breaker is
/// <see cref="RateSignal"/>'s question (a 429 or a 503 with a wait never does, whatever the wait).
/// </remarks>
internal static class ServerWaitRule
{
    /// <summary>Returns whether the attempt is a server metering the client: a 429 or 503 with a wait the client honors.</summary>
    public static bool IsMetered(in AttemptVerdict verdict, TimeSpan maxRetryAfter)
        => PausesClient(verdict) && verdict.ServerWait!.Value.Delay <= maxRetryAfter;

    /// <summary>Returns whether the attempt pauses every request of its client: a 429 or 503 that names a wait.</summary>
    public static bool PausesClient(in AttemptVerdict verdict) => verdict is { EffectiveStatusCode: 429 or 503, ServerWait: not null };
}
