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
/// response at once; otherwise the wait is the server's plus a small jitter, or the backoff when the server named none.
/// </remarks>
internal sealed class RetryDecider
{
    // Jitter added on top of a server-requested wait: up to this share of the wait, and never more than MaxServerJitter.
    private const double ServerJitterShare = 0.1;
    private static readonly TimeSpan MaxServerJitter = TimeSpan.FromSeconds(1);

    // The text of each status code seen, kept so that a failed attempt does not format its code again.
    private static readonly string?[] StatusCodeTexts = new string?[600];

    private readonly PresetPolicy _policy;
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _random;
    private readonly RetryBudget? _budget;

    public RetryDecider(PresetPolicy policy, TimeProvider timeProvider, Func<double> random, RetryBudget? budget = null)
    {
        _policy = policy;
        _timeProvider = timeProvider;
        _random = random;
        _budget = budget;
    }

    public RetryDecision Decide(Outcome<HttpResponseMessage> outcome, HttpRequestMessage request, RetryState state, int retryIndex)
    {
        var decision = outcome.Exception is Exception exception
            ? DecideForException(exception, request, state, retryIndex)
            : DecideForResponse(outcome.Result!, request, state, retryIndex);

        // The budget is asked last, and only for a retry that will happen, so that a refusal always has a reason. A 429
        // that named its wait is a healthy server metering this client, not a failing one: the client pause already
        // holds every request until then, and refusing the retry would only turn the server's invitation into an error.
        if (decision.ShouldRetry && retryIndex < _policy.MaxRetryAttempts && _budget is not null && !IsMeteredWait(decision) &&
            !_budget.TryAcquireRetry(out var retries, out var requests))
        {
            return RetryDecision.No(decision.Cause, decision.StatusCode,
                $"the retry budget is spent: {retries} retries for {requests} requests in the last {_budget.Window} (RetryBudget)") with { OverBudget = true };
        }

        return decision;
    }

    private static bool IsMeteredWait(in RetryDecision decision) => decision is { StatusCode: 429, Source: RetryDelaySource.ServerHeader };

    private static string StatusCodeText(int statusCode) => statusCode is >= 0 and < 600
        ? StatusCodeTexts[statusCode] ??= statusCode.ToString(CultureInfo.InvariantCulture)
        : statusCode.ToString(CultureInfo.InvariantCulture);

    // Read only once an attempt is known to be retryable: most attempts succeed and never need the clock.
    private TimeSpan Remaining(RetryState state) => _policy.TotalTimeout - _timeProvider.GetElapsedTime(state.StartTimestamp);

    private RetryDecision DecideForException(Exception exception, HttpRequestMessage request, RetryState state, int retryIndex)
    {
        var cause = exception.GetType().Name;
        var kind = TransportFailure.Classify(exception);
        if (kind == TransportFailureKind.NotTransient)
        {
            return RetryDecision.No(cause);
        }

        if (!_policy.Methods.MayRetry(request, mayHaveReachedServer: kind == TransportFailureKind.MayHaveReachedServer))
        {
            return RetryDecision.No(cause, declinedBecause: MethodDeclined(request));
        }

        return WithBackoff(cause, null, Remaining(state), retryIndex);
    }

    private RetryDecision DecideForResponse(HttpResponseMessage response, HttpRequestMessage request, RetryState state, int retryIndex)
    {
        var statusCode = StatusCodeClassifier.EffectiveStatusCode(response);
        var cause = StatusCodeText((int)response.StatusCode);
        var rule = _policy.Classifier.Classify(response);
        if (!rule.IsRetry)
        {
            return RetryDecision.No(cause, statusCode);
        }

        if (rule.MaxRetries is int max && state.RetriesFor(statusCode) >= max)
        {
            return RetryDecision.No(cause, statusCode, $"status {cause} may be retried at most {max} time(s)");
        }

        if (!_policy.Methods.MayRetry(request, mayHaveReachedServer: true))
        {
            return RetryDecision.No(cause, statusCode, MethodDeclined(request));
        }

        var remaining = Remaining(state);
        if (!RetryAfterReader.TryRead(response, _timeProvider.GetUtcNow(), out var serverWait))
        {
            return WithBackoff(cause, statusCode, remaining, retryIndex);
        }

        var limit = _policy.MaxRetryAfter < remaining ? _policy.MaxRetryAfter : remaining;
        if (serverWait.Delay > limit)
        {
            return RetryDecision.No(cause, statusCode, serverWait.Delay > _policy.MaxRetryAfter
                ? $"the server asked to wait {serverWait.Delay} ({serverWait.HeaderName}), longer than Retry:MaxRetryAfter ({_policy.MaxRetryAfter})"
                : $"the server asked to wait {serverWait.Delay} ({serverWait.HeaderName}), longer than the {remaining} left of TotalTimeout");
        }

        var jitterCeiling = TimeSpan.FromTicks(Math.Min(
            Math.Min((long)(serverWait.Delay.Ticks * ServerJitterShare), MaxServerJitter.Ticks),
            (limit - serverWait.Delay).Ticks));
        var delay = serverWait.Delay + TimeSpan.FromTicks((long)(jitterCeiling.Ticks * _random()));
        return new RetryDecision(true, cause, statusCode, delay, RetryDelaySource.ServerHeader, serverWait.HeaderName, null);
    }

    private RetryDecision WithBackoff(string cause, int? statusCode, TimeSpan remaining, int retryIndex)
    {
        var delay = BackoffDelay.Compute(retryIndex, _policy.BaseDelay, _policy.MaxDelay, _random());
        return delay < remaining
            ? new RetryDecision(true, cause, statusCode, delay, RetryDelaySource.Backoff, null, null)
            : RetryDecision.No(cause, statusCode, $"the backoff of {delay} would outlast the {remaining} left of TotalTimeout");
    }

    private string MethodDeclined(HttpRequestMessage request) => _policy.Methods.RuleFor(request.Method) switch
    {
        MethodRetryRule.WithIdempotencyKey => $"{request.Method} is retried only with one non-blank {_policy.IdempotencyHeader} value, or when the request never reached the server",
        _ => $"{request.Method} is never retried by this preset",
    };
}
