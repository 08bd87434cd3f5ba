namespace ResiliencePresets;

/// <summary>
/// Is this attempt a rate signal, the server asking the client to slow down? One rule for the circuit breaker, the
/// learned rate, the retry budget and the retry's delay.
/// </summary>
/// <remarks>
/// <para>A 429 (a 403 read as 429 included) and a 503 that carries a wait or quota header (<c>Retry-After</c>,
/// <c>RateLimit</c>, …, even one whose value is unusable) are a server metering the client: never a breaker failure,
/// with or without a usable wait, and, with learning on (<c>RateLimit:Adaptive</c>), they lower the learned rate.</para>
/// <para>A bare 503 (no wait, no quota header) is ambiguous: nginx's <c>limit_req</c> answers the excess with it by
/// default, and so does a server that is down. A limiter turns away the excess while it still serves the rest; an
/// outage turns away everything. So a bare 503 is a rate signal only while learning is on, the server has answered
/// another attempt of the client normally within the last <see cref="RateLearner.AcceptanceWindow"/> (2 s), and the
/// learned rate is still above its floor (slowing down may still help). Otherwise it is what it was before learning
/// existed: a breaker failure, charged to the retry budget and retried after the backoff. A dependency that answers
/// every request with a bare 503 therefore opens the breaker exactly as without learning.</para>
/// <para>Once the client throttles (<see cref="RateLearner.IsEngaged"/>), a retry of a rate signal is metered by the
/// learned rate: it waits for the client's token bucket in its request's arrival order, instead of a backoff, and it is
/// not charged to the retry budget.</para>
/// </remarks>
internal static class RateSignal
{
    /// <summary>Returns what the attempt says by its status and headers alone, before the client's state is asked.</summary>
    public static RateSignalKind Of(in AttemptVerdict verdict) => verdict switch
    {
        { IsResponse: false } => RateSignalKind.None,
        { EffectiveStatusCode: 429 } => RateSignalKind.Limited,
        { EffectiveStatusCode: 503, HasWaitHeaders: true } => RateSignalKind.Limited,
        { EffectiveStatusCode: 503 } => RateSignalKind.Bare503,
        _ => RateSignalKind.None,
    };

    /// <summary>Returns whether the attempt is a rate signal for a client with <paramref name="learner"/> (none when
    /// learning is off); the clock is read only for a bare 503.</summary>
    public static bool IsRateSignal(in AttemptVerdict verdict, RateLearner? learner, Func<DateTimeOffset> now) => Of(verdict) switch
    {
        RateSignalKind.Limited => true,
        RateSignalKind.Bare503 => learner?.TakesBare503AsRateSignal(now()) == true,
        _ => false,
    };

    /// <summary>Returns whether a retry of the attempt is metered by the client's learned rate, and so neither waits a
    /// backoff nor is charged to the retry budget: the client throttles and the attempt is a rate signal.</summary>
    public static bool IsMeteredByLearner(in AttemptVerdict verdict, RateLearner? learner, Func<DateTimeOffset> now)
        => learner is { IsEngaged: true } && IsRateSignal(verdict, learner, now);
}
