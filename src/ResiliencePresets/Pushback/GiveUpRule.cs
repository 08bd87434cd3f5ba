using Polly;
using Polly.CircuitBreaker;

namespace ResiliencePresets;

/// <summary>
/// Decides whether a call's final outcome is one the preset gave up on, and why: the one place that answers "should
/// the service's callers be told not to retry?".
/// </summary>
/// <remarks>
/// A call gave up when the breaker or the client's pause refused it, when the retry planned for its last attempt was
/// not made because the attempts ran out, or when the retry was refused by the budget, a status code's own limit, the
/// time left, or a server wait longer than the preset honors (<see cref="RetryDecision.GaveUp"/>); and when the server
/// itself said not to retry a call the preset would have retried (its status and its method, with retries on). A
/// success, a caller's cancellation, a status the preset never retries (404), a request the method rule never resends
/// and a call with <c>Retry:MaxRetryAttempts</c> 0 are not giving up; neither is the total timeout ending an attempt, as
/// it says nothing of the dependency's state the caller could act on.
/// </remarks>
internal static class GiveUpRule
{
    public static GivenUpCall? Judge(CompiledPreset preset, HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome, RequestState state, AttemptInspector inspector)
    {
        switch (outcome.Exception)
        {
            case BrokenCircuitException broken:
                return new(preset.ClientName, GiveUpReason.CircuitBreaker, broken.RetryAfter);
            case ClientPausedException paused:
                return new(preset.ClientName, GiveUpReason.ClientPaused, paused.RetryAfter);
            case OperationCanceledException:
                return null;
        }

        if (outcome.Result is { IsSuccessStatusCode: true })
        {
            return null;
        }

        ref readonly var verdict = ref state.VerdictOf(outcome, inspector);
        var wait = verdict.ServerWait?.Delay;
        var plan = state.PlannedFor(outcome);
        if (plan.ShouldRetry)
        {
            return new(preset.ClientName, GiveUpReason.RetriesExhausted, wait);
        }

        if (plan.GaveUp is { } reason)
        {
            return new(preset.ClientName, reason, wait);
        }

        // Only a call the preset would have retried: not with retries off, nor a request the method rule never resends.
        return verdict is { IsResponse: true, ServerVerdict: false } && preset.MaxRetryAttempts > 0 && preset.Classifier.GetRule(verdict.EffectiveStatusCode).IsRetry &&
            request is not null && preset.Methods.MayRetry(request, mayHaveReachedServer: true)
            ? new(preset.ClientName, GiveUpReason.ServerSaidNoRetry, wait)
            : null;
    }
}
