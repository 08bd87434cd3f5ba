using Polly;

namespace ResiliencePresets;

/// <summary>
/// Reads a finished attempt into its <see cref="AttemptVerdict"/>: a pure function of the outcome, the preset's status
/// table and the clock, read only when the response carries a wait or quota header. A response without one costs a
/// table lookup and one pass over its header names (<see cref="HeaderPresence"/>), and no header read unless it
/// carries the server's verdict.
/// </summary>
/// <param name="classifier">The preset's status table.</param>
/// <param name="timeProvider">The clock, read only for responses with a wait or quota header.</param>
/// <param name="countInspections">Whether to count readings (<see cref="Inspections"/>), for tests; off in pipelines,
/// where a shared counter on every attempt would cost more than the reading.</param>
internal sealed class AttemptInspector(StatusCodeClassifier classifier, TimeProvider timeProvider, bool countInspections = false)
{
    private long _inspections;

    /// <summary>Gets how many attempts this inspector has read, when it counts them; each attempt once, however many
    /// questions it answers.</summary>
    public long Inspections => Interlocked.Read(ref _inspections);

    public AttemptVerdict Inspect(Outcome<HttpResponseMessage> outcome)
    {
        if (countInspections)
        {
            Interlocked.Increment(ref _inspections);
        }

        if (outcome.Exception is Exception exception)
        {
            return new AttemptVerdict { Exception = exception, Failure = TransportFailure.Classify(exception) };
        }

        var response = outcome.Result!;
        var status = (int)response.StatusCode;
        var headers = response.Headers.NonValidated;
        var presence = HeaderPresence.Of(headers);
        if (!presence.Wait)
        {
            // A 403 or a 503 can still report a spent quota (its remaining-quota header is not a wait header), and a
            // 503 be nginx's own refusal. A limit the server names is its limit's even without a wait: a bare 429 under
            // it is not the client's rate signal.
            var verdict = presence.Verdict ? StatusCodeClassifier.ServerVerdict(response) : null;
            var effectiveStatus = status is 403 or 503 ? StatusCodeClassifier.EffectiveStatusCode(response) : status;
            return new AttemptVerdict
            {
                StatusCode = status,
                EffectiveStatusCode = effectiveStatus,
                ServerVerdict = verdict,
                Rule = classifier.Classify(verdict, effectiveStatus),
                QuotaSpent = effectiveStatus == 503 && presence.Remaining && RateLimitHeaders.IsExhausted(response),
                Scope = presence.Resource ? RateScopeName.Read(response, null) : null,
            };
        }

        // Only the headers the response carries are looked up (HeaderPresence), in the precedence RetryAfterReader states.
        var now = timeProvider.GetUtcNow();
        var serverVerdict = presence.Verdict ? StatusCodeClassifier.ServerVerdict(response) : null;
        var effective = StatusCodeClassifier.EffectiveStatusCode(response);
        QuotaReading? quota = presence.Quota && RateLimitHeaders.TryReadQuota(response, now, out var read) ? read : null;
        RetryAfterValue? wait = RetryAfterReader.Found(RetryAfterReader.ReadWait(headers, now, presence, quota, out var hasExplicit), out var found) ? found : null;
        return new AttemptVerdict
        {
            StatusCode = status,
            EffectiveStatusCode = effective,
            ServerVerdict = serverVerdict,
            Rule = classifier.Classify(serverVerdict, effective),
            ServerWait = wait,
            WaitIsExplicit = hasExplicit,
            QuotaRemaining = quota?.Remaining,
            QuotaResetIn = quota?.ResetIn ?? TimeSpan.Zero,
            QuotaHeader = quota?.Header,
            Scope = presence.Resource || quota is { Policy: not null } ? RateScopeName.Read(response, quota) : null,
            ReadAt = now,
            HasWaitHeaders = true,
            QuotaSpent = effective == 503 && (quota is { IsSpent: true } || RateLimitHeaders.IsExhausted(response)),
        };
    }
}
