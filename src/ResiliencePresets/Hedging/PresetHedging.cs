using Polly;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.Timeout;

namespace ResiliencePresets;

/// <summary>
/// Turns a preset's <c>Hedging</c> settings into Polly's hedging strategy, which sits inside the retry and outside the
/// client's pacing, rate limiter, breaker and attempt timeout, so that every hedge passes through them as any attempt does.
/// </summary>
/// <remarks>
/// <para>A request <see cref="HedgeGate"/> refuses is never hedged: its delay is infinite, so Polly waits for the one
/// attempt. For the others, after the delay (<see cref="ObservedLatency"/>) a hedge is started only when the breaker
/// is not open and the retry budget grants a retry; it sends its own copy of the request (<see cref="HedgedRequest"/>)
/// and runs with its own per-attempt state (<see cref="RequestState.ForHedge"/>).</para>
/// <para>The first attempt to finish answers, failure or not: a failure is the retry's to judge, with its backoff and
/// budget, not a reason to hedge at once. The exception is a hedge that was never sent (refused by the breaker, the
/// client's pause or its rate limiter): the attempts still running answer instead. Polly cancels the attempts that lose
/// and disposes their responses before the hedging strategy returns.</para>
/// </remarks>
internal static class PresetHedging
{
    public const string Name = "Hedging";

    public static HedgingStrategyOptions<HttpResponseMessage> Create(CompiledPreset preset, ObservedLatency latency, BreakerStatus? breaker, RetryBudget? budget, PresetMetrics metrics, TimeProvider timeProvider) => new()
    {
        Name = Name,
        MaxHedgedAttempts = preset.MaxHedgedAttempts,
        DelayGenerator = args =>
        {
            if (args.Context.GetRequestMessage() is not { } request || !HedgeGate.MayHedge(request, preset))
            {
                return new(Timeout.InfiniteTimeSpan);
            }

            if (args.AttemptNumber == 1)
            {
                RequestState.Of(args.Context).MarkAttemptStart(timeProvider.GetTimestamp());
            }

            return new(latency.Delay);
        },
        ShouldHandle = args =>
        {
            if (args.AttemptNumber == 0 && RequestState.Of(args.Context).TakeAttemptStart() is var start and not 0)
            {
                latency.Record(timeProvider.GetElapsedTime(start));
            }

            return new(args.AttemptNumber > 0 && NeverSent(args.Outcome));
        },
        ActionGenerator = args =>
        {
            if (args.PrimaryContext.GetRequestMessage() is not { } request || !HedgeGate.MayHedge(request, preset) ||
                breaker?.Read(timeProvider.GetUtcNow()).State == CircuitState.Open ||
                (budget is not null && !budget.TryAcquireRetry(out _, out _)))
            {
                return null;
            }

            args.ActionContext.SetRequestMessage(HedgedRequest.Copy(request));
            args.ActionContext.Properties.Set(RequestState.Key, RequestState.Of(args.PrimaryContext).ForHedge());
            return async () =>
            {
                var outcome = await args.Callback(args.ActionContext).ConfigureAwait(false);

                // Counted once the hedge went past the breaker, the pause and the token bucket: the counter is the extra load.
                if (!NeverSent(outcome))
                {
                    metrics.Hedge(preset);
                }

                return outcome;
            };
        },
    };

    // A hedge the breaker, the client's pause or its rate limiter refused; an attempt timeout means it was sent.
    private static bool NeverSent(Outcome<HttpResponseMessage> outcome)
        => outcome.Exception is ExecutionRejectedException and not TimeoutRejectedException;
}
