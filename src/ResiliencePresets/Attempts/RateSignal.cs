namespace ResiliencePresets;

/// <summary>
/// Is this attempt a rate signal, the server asking the client to slow down? One rule for the circuit breaker, the
/// learned rate, the retry budget and the retry's delay.
/// </summary>
/// <remarks>
/// <para>A 429 (a 403 that reports a spent rate limit, and a 503 nginx wrote itself, read as 429 included:
/// <see cref="StatusCodeClassifier.EffectiveStatusCode"/>) and a 503 that carries a wait or quota header
/// (<c>Retry-After</c>, <c>RateLimit</c>, …, even one whose value is unusable) or a remaining count of 0 (as a 403's
/// makes it a 429: <see cref="RateLimitHeaders.IsExhausted"/>, with or without a reset) are a server metering the client: never
/// a breaker failure, with or without a usable wait, and, with learning on (<c>RateLimit:Adaptive</c>), they lower the
/// learned rate.</para>
/// <para>Any other bare 503 (no wait, no reset, no spent remaining count) is an outage: a breaker failure, charged to the retry budget
/// and retried after the backoff, and it teaches the learned rate nothing. A server that is overloaded or down answers
/// it, and a flaky dependency whose retries succeed looks like a limiter whose slower retries pass: rules that read
/// bare 503s as rate signals by the client's own experience were measured (see docs/presets.md, "Is a bare 503 a rate
/// signal?") and paced a flaky dependency down to the learner's floor. A limiter is told apart by what it sends: a
/// 429, a 503 with a wait or quota header, or nginx's own status line for its <c>limit_req</c> refusal
/// (<see cref="NginxRefusal"/>).</para>
/// <para>Once the client throttles (<see cref="RateLearner.IsEngaged"/>), a retry of a rate signal is metered by the
/// learned rate: it waits for the client's token bucket in its request's arrival order, instead of a backoff, and it is
/// not charged to the retry budget.</para>
/// </remarks>
internal static class RateSignal
{
    /// <summary>Returns whether the attempt is a rate signal, by its status and headers alone.</summary>
    public static bool IsRateSignal(in AttemptVerdict verdict) => verdict switch
    {
        { IsResponse: false } => false,
        { EffectiveStatusCode: 429 } => true,
        { EffectiveStatusCode: 503, HasWaitHeaders: true } or { EffectiveStatusCode: 503, QuotaSpent: true } => true,
        _ => false,
    };

    /// <summary>Returns whether a retry of the attempt is metered by the client's learned rate, and so neither waits a
    /// backoff nor is charged to the retry budget: the client throttles and the attempt is a rate signal.</summary>
    public static bool IsMeteredByLearner(in AttemptVerdict verdict, RateLearner? learner)
        => learner is { IsEngaged: true } && IsRateSignal(verdict);
}
