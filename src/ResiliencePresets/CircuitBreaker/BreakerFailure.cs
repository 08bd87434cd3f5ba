using Polly;

namespace ResiliencePresets;

/// <summary>
/// Decides which attempts count as failures for the circuit breaker: signs that the dependency is unhealthy, not that
/// the caller asked for something wrong or too fast.
/// </summary>
internal static class BreakerFailure
{
    public static bool IsFailure(Outcome<HttpResponseMessage> outcome, PresetPolicy policy, TimeProvider timeProvider)
    {
        if (outcome.Exception is Exception exception)
        {
            return TransportFailure.Classify(exception) != TransportFailureKind.NotTransient;
        }

        var response = outcome.Result!;
        if (!policy.Classifier.Classify(response).IsRetry)
        {
            // 4xx the table never retries (404, 401, 422...) are the caller's problem, not an outage.
            return false;
        }

        // A server that says exactly when to come back is shedding load in an orderly way.
        var hasUsableWait = RetryAfterReader.TryRead(response, timeProvider.GetUtcNow(), out var wait) && wait.Delay <= policy.MaxRetryAfter;
        return !hasUsableWait;
    }
}
