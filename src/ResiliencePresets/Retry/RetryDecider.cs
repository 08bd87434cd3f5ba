using System.Globalization;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// Decides whether a failed attempt is retried and how long to wait first: the one place that answers
/// "why was this retried?".
/// </summary>
/// <remarks>
/// In order: caller cancellation and non-transient exceptions are never retried; a response is looked up in the
/// status-code table (after the server's own verdict), within the table's per-code limits; the method rule must allow
/// another send; a server-requested wait longer than <c>Retry:MaxRetryAfter</c> or than the time left returns the
/// response at once; a rate signal of a client that throttles (<see cref="RateSignal.IsMeteredByLearner"/>) is retried
/// into the client's learned bucket, which serves it in its request's arrival order: at once when the server named no
/// wait or when it did (the pause holds the bucket); otherwise the wait is the server's plus a small jitter, or the backoff when the server named none. The retry budget
/// is asked last, and never for a retry the client's own throttling meters. Such a metered retry does not count against
/// <c>Retry:MaxRetryAttempts</c> either (<see cref="MayRetry"/>): <c>TotalTimeout</c> and <see cref="MaxMeteredRetries"/> bound it.
/// </remarks>
internal sealed class RetryDecider
{
    // The text of each status code seen, kept so that a failed attempt does not format its code again.
    private static readonly string?[] StatusCodeTexts = new string?[600];

    /// <summary>
    /// The most retries of one request that the client's learned rate meters (<see cref="RetryDecision.MeteredByLearner"/>),
    /// on top of <c>Retry:MaxRetryAttempts</c>, which does not count them.
    /// </summary>
    /// <remarks>
    /// A metered retry waits for the client's learned bucket in its request's arrival order, and every rate signal sent
    /// since the last decrease lowers that rate, so such retries are bounded by <c>TotalTimeout</c>; this cap only stops
    /// a request from circling forever when the total timeout is long and the server refuses whatever the rate.
    /// </remarks>
    public const int MaxMeteredRetries = 20;

    private readonly CompiledPreset _preset;
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _random;
    private readonly RetryBudget? _budget;
    private readonly RateLearner? _learner;

    public RetryDecider(CompiledPreset preset, TimeProvider timeProvider, Func<double> random, RetryBudget? budget = null, RateLearner? learner = null)
    {
        _preset = preset;
        _timeProvider = timeProvider;
        _random = random;
        _budget = budget;
        _learner = learner;
    }

    /// <summary>Decides for an outcome not read yet (tests and callers outside a pipeline).</summary>
    public RetryDecision Decide(Outcome<HttpResponseMessage> outcome, HttpRequestMessage request, RequestState state, int retryIndex)
        => Decide(new AttemptInspector(_preset.Classifier, _timeProvider).Inspect(outcome), request, state, retryIndex);

    /// <summary>Decides for the attempt read as <paramref name="verdict"/>.</summary>
    /// <param name="verdict">The attempt's verdict.</param>
    /// <param name="request">The request the attempt sent.</param>
    /// <param name="state">The request's state: its time left and the status codes it was retried for.</param>
    /// <param name="retryIndex">The retries made so far that count against <c>Retry:MaxRetryAttempts</c>: all of them but
    /// the metered ones (<see cref="RequestState.MeteredRetries"/>). The backoff grows with it.</param>
    /// <remarks>A decision to retry is returned also past the caps; <see cref="MayRetry"/> says whether it is made.</remarks>
    public RetryDecision Decide(in AttemptVerdict verdict, HttpRequestMessage request, RequestState state, int retryIndex)
    {
        // One reading of the clock for the whole decision: the time left and the budget's window.
        var now = _timeProvider.GetTimestamp();
        var decision = verdict.IsResponse
            ? DecideForResponse(verdict, request, state, retryIndex, now)
            : DecideForException(verdict, request, state, retryIndex, now);

        // The budget is asked last, and only for a retry that will happen, so that a refusal always has a reason. A
        // server metering this client (ServerWaitRule, RateSignal) is not failing: the client pause or the learned rate
        // already holds every request, and refusing the retry would only turn the server's invitation into an error.
        if (decision.ShouldRetry && retryIndex < _preset.MaxRetryAttempts && _budget is not null && decision.Source != RetryDelaySource.LearnedRate &&
            !ServerWaitRule.IsMetered(verdict, _preset.MaxRetryAfter) && !_budget.TryAcquireRetry(now, out var retries, out var requests))
        {
            return RetryDecision.No(decision.Cause, decision.StatusCode,
                $"the retry budget is spent: {retries} retries for {requests} requests in the last {_budget.Window} (RetryBudget)") with { OverBudget = true, GaveUp = GiveUpReason.RetryBudget };
        }

        return decision;
    }

    /// <summary>
    /// Returns whether a decision to retry is made: a metered retry while the request has made fewer than
    /// <see cref="MaxMeteredRetries"/>, any other while <paramref name="retryIndex"/> is below <c>Retry:MaxRetryAttempts</c>.
    /// A decision to retry that is not made means the retries ran out (<see cref="GiveUpReason.RetriesExhausted"/>).
    /// </summary>
    public bool MayRetry(in RetryDecision decision, RequestState state, int retryIndex) => decision.ShouldRetry &&
        (decision.MeteredByLearner ? state.MeteredRetries < MaxMeteredRetries : retryIndex < _preset.MaxRetryAttempts);

    private static string StatusCodeText(int statusCode) => statusCode is >= 0 and < 600
        ? StatusCodeTexts[statusCode] ??= statusCode.ToString(CultureInfo.InvariantCulture)
        : statusCode.ToString(CultureInfo.InvariantCulture);

    private RetryDecision DecideForException(in AttemptVerdict verdict, HttpRequestMessage request, RequestState state, int retryIndex, long now)
    {
        var cause = verdict.Exception!.GetType().Name;
        if (verdict.Failure == TransportFailureKind.NotTransient)
        {
            return RetryDecision.No(cause);
        }

        if (!_preset.Methods.MayRetry(request, mayHaveReachedServer: verdict.Failure == TransportFailureKind.MayHaveReachedServer))
        {
            return RetryDecision.No(cause, declinedBecause: MethodDeclined(request));
        }

        return WithBackoff(cause, null, state.TimeLeft(_preset.TotalTimeout, _timeProvider, now), retryIndex);
    }

    private RetryDecision DecideForResponse(in AttemptVerdict verdict, HttpRequestMessage request, RequestState state, int retryIndex, long now)
    {
        var statusCode = verdict.EffectiveStatusCode;
        var cause = StatusCodeText(verdict.StatusCode);
        var rule = verdict.Rule;
        if (!rule.IsRetry)
        {
            return RetryDecision.No(cause, statusCode);
        }

        if (rule.MaxRetries is int max && state.RetriesFor(statusCode) >= max)
        {
            return RetryDecision.No(cause, statusCode, $"status {cause} may be retried at most {max} time(s)") with { GaveUp = GiveUpReason.RetriesExhausted };
        }

        if (!_preset.Methods.MayRetry(request, mayHaveReachedServer: true))
        {
            return RetryDecision.No(cause, statusCode, MethodDeclined(request));
        }

        var remaining = state.TimeLeft(_preset.TotalTimeout, _timeProvider, now);
        var metered = RateSignal.IsMeteredByLearner(verdict, _learner);
        if (verdict.ServerWait is not { } serverWait)
        {
            return metered ? new RetryDecision(true, cause, statusCode, TimeSpan.Zero, RetryDelaySource.LearnedRate, null, null) { MeteredByLearner = true } : WithBackoff(cause, statusCode, remaining, retryIndex);
        }

        var limit = _preset.MaxRetryAfter < remaining ? _preset.MaxRetryAfter : remaining;
        if (serverWait.Delay > limit)
        {
            return RetryDecision.No(cause, statusCode, serverWait.Delay > _preset.MaxRetryAfter
                ? $"the server asked to wait {serverWait.Delay} ({serverWait.HeaderName}), longer than Retry:MaxRetryAfter ({_preset.MaxRetryAfter})"
                : $"the server asked to wait {serverWait.Delay} ({serverWait.HeaderName}), longer than the {remaining} left of TotalTimeout") with { GaveUp = GiveUpReason.ServerWaitTooLong };
        }

        if (metered)
        {
            // The pause this response set holds the learned bucket: the retry joins the bucket at once and waits there,
            // for the server's wait and then its turn in its request's arrival order.
            return new RetryDecision(true, cause, statusCode, TimeSpan.Zero, RetryDelaySource.ServerHeader, serverWait.HeaderName, null) { HeldFor = serverWait.Delay, MeteredByLearner = true };
        }

        var delay = ServerWaitSpread.Apply(serverWait.Delay, jitterRoom: limit, paddingRoom: remaining, _random());
        return new RetryDecision(true, cause, statusCode, delay, RetryDelaySource.ServerHeader, serverWait.HeaderName, null);
    }

    private RetryDecision WithBackoff(string cause, int? statusCode, TimeSpan remaining, int retryIndex)
    {
        var delay = BackoffDelay.Compute(retryIndex, _preset.BaseDelay, _preset.MaxDelay, _random());
        return delay < remaining
            ? new RetryDecision(true, cause, statusCode, delay, RetryDelaySource.Backoff, null, null)
            : RetryDecision.No(cause, statusCode, $"the backoff of {delay} would outlast the {remaining} left of TotalTimeout") with { GaveUp = GiveUpReason.RetriesExhausted };
    }

    private string MethodDeclined(HttpRequestMessage request) => _preset.Methods.RuleFor(request.Method) switch
    {
        MethodRetryRule.WithIdempotencyKey => $"{request.Method} is retried only with one non-blank {_preset.IdempotencyHeader} value, or when the request never reached the server",
        _ => $"{request.Method} is never retried by this preset",
    };
}
