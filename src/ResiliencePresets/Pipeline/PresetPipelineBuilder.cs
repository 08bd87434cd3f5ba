using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace ResiliencePresets;

/// <summary>
/// Turns any preset into Polly strategies. Every preset, built-in or configured, goes through this one builder, in
/// this fixed order (outermost first): stale-if-error (when <c>Fallback:StaleIfError</c> is set), total timeout,
/// retry, hedging (when <c>Hedging:Enabled</c>), client pacing, rate limiter (when a rate is set), circuit breaker,
/// attempt timeout. Each build also publishes the <see cref="RequestPreparation"/> that runs around its pipeline, once
/// per request (<see cref="ClientRuntime.Preparation"/>).
/// </summary>
internal static class PresetPipelineBuilder
{
    public const string StaleIfErrorName = "StaleIfError";
    public const string TotalTimeoutName = "TotalTimeout";
    public const string RetryName = "Retry";
    public const string HedgingName = PresetHedging.Name;
    public const string PacingName = "ClientPacing";
    public const string RateLimiterName = "RateLimiter";
    public const string CircuitBreakerName = "CircuitBreaker";
    public const string AttemptTimeoutName = "AttemptTimeout";

    public static void Build(ResiliencePipelineBuilder<HttpResponseMessage> builder, CompiledPreset preset, PipelineServices runtime)
    {
        var (client, timeProvider, logger, metrics, random, onPipelineDisposed, _, staleResponses, sharing) = runtime;
        client.Shared = sharing?.Join(preset, client);
        client.TotalTimeout = preset.TotalTimeout;
        var budget = client.Budget(preset, timeProvider);
        var learner = client.LearnerFor(preset, timeProvider);
        learner?.WhenQuiet(() => Log.ThrottlingStopped(logger, preset.ClientName, RateLearner.QuietPeriod));
        Func<DateTimeOffset> clock = timeProvider.GetUtcNow;
        var limiter = client.Limiter(preset);
        if (limiter is not null)
        {
            (onPipelineDisposed ?? (_ => { }))(limiter.Release);
        }

        // One reading of each finished attempt, shared by the breaker, the pacing and the retry (see RequestState).
        var inspector = runtime.Inspector ?? new AttemptInspector(preset.Classifier, timeProvider);
        builder.TimeProvider = timeProvider;

        client.Preparation = new RequestPreparation(preset, inspector, budget, metrics, limiter);

        // Outermost, so that it sees only a request's final outcome: after the retries, the pacing and the breaker.
        if (preset.StaleIfError > TimeSpan.Zero)
        {
            var store = staleResponses ?? throw new InvalidOperationException($"The client '{preset.ClientName}' has Fallback:StaleIfError set but no store for its responses.");
            builder.AddStrategy(_ => new StaleIfErrorStrategy(preset, store, timeProvider, logger, metrics), new PresetStrategyOptions { Name = StaleIfErrorName });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = TotalTimeoutName, Timeout = preset.TotalTimeout });

        if (preset.MaxRetryAttempts > 0)
        {
            builder.AddRetry(CreateRetry(preset, new RetryDecider(preset, timeProvider, random, budget, learner), inspector, logger, metrics, random));
        }

        // A reload builds a new breaker, so the client follows the status of the one this build makes.
        var breaker = preset.BreakerEnabled ? new BreakerStatus() : null;
        client.Breaker = breaker;
        if (preset.HedgingEnabled)
        {
            builder.AddHedging(PresetHedging.Create(preset, new ObservedLatency(preset.HedgingPercentile, preset.HedgingDelay), breaker, budget, metrics, timeProvider));
        }

        var pacing = new ClientPacingStrategy(preset, client, learner, timeProvider, metrics, logger, random, inspector);
        builder.AddStrategy(_ => pacing, new PresetStrategyOptions { Name = PacingName });

        if (limiter is not null)
        {
            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = RateLimiterName,
                RateLimiter = args => Acquire(limiter.Limiter, preset, metrics, pacing, args.Context),
                OnRejected = _ =>
                {
                    metrics.Rejected(preset);
                    Log.RateLimitRejected(logger, preset.ClientName, preset.QueueLimit);
                    return default;
                },
            });
        }

        if (breaker is not null)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = CircuitBreakerName,
                StateProvider = breaker.Provider,
                FailureRatio = preset.FailureRatio,
                MinimumThroughput = preset.MinimumThroughput,
                SamplingDuration = preset.SamplingDuration,
                BreakDuration = preset.BreakDuration,
                ShouldHandle = args => new ValueTask<bool>(BreakerFailure.IsFailure(RequestState.Of(args.Context).VerdictOf(args.Outcome, inspector))),
                OnOpened = args =>
                {
                    breaker.Opened(timeProvider.GetUtcNow() + args.BreakDuration);
                    return Transition(metrics, preset, "open");
                },
                OnHalfOpened = _ => Transition(metrics, preset, "half_open"),
                OnClosed = _ => Transition(metrics, preset, "closed"),
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = AttemptTimeoutName, Timeout = preset.AttemptTimeout });
    }

    // A permit at once is the common case; an attempt that has to queue is counted as throttled, and once it has its
    // permit it is held to a pause that began meanwhile and to the learned rate if the client began to throttle
    // (HoldAfterQueueAsync).
    private static ValueTask<System.Threading.RateLimiting.RateLimitLease> Acquire(System.Threading.RateLimiting.RateLimiter limiter, CompiledPreset preset, PresetMetrics metrics, ClientPacingStrategy pacing, ResilienceContext context)
    {
        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return new(lease);
        }

        lease.Dispose();

        // Only an attempt that waits in the queue is throttled: one the full queue refuses at once is a rejection (OnRejected).
        var acquiring = limiter.AcquireAsync(1, context.CancellationToken);
        if (!acquiring.IsCompleted)
        {
            metrics.Throttled(preset);
        }

        return QueuedAsync(acquiring, pacing, context);

        static async ValueTask<System.Threading.RateLimiting.RateLimitLease> QueuedAsync(ValueTask<System.Threading.RateLimiting.RateLimitLease> acquiring, ClientPacingStrategy pacing, ResilienceContext context)
        {
            var queued = await acquiring.ConfigureAwait(context.ContinueOnCapturedContext);
            if (queued.IsAcquired)
            {
                try
                {
                    await pacing.HoldAfterQueueAsync(context).ConfigureAwait(context.ContinueOnCapturedContext);
                }
                catch
                {
                    queued.Dispose();
                    throw;
                }
            }

            return queued;
        }
    }

    private static ValueTask Transition(PresetMetrics metrics, CompiledPreset preset, string state)
    {
        metrics.BreakerTransition(preset, state);
        return default;
    }

    // The decision is made once, in ShouldHandle, and read back for the same outcome by DelayGenerator and OnRetry
    // (the protocol is stated on RequestState). The decider computes every delay, server waits and backoff alike.
    private static RetryStrategyOptions<HttpResponseMessage> CreateRetry(CompiledPreset preset, RetryDecider decider, AttemptInspector inspector, ILogger logger, PresetMetrics metrics, Func<double> random) => new()
    {
        Name = RetryName,
        // The caps are the decider's (RetryDecider.MayRetry): metered retries do not count against MaxRetryAttempts.
        MaxRetryAttempts = preset.MaxRetryAttempts + RetryDecider.MaxMeteredRetries,
        BackoffType = DelayBackoffType.Constant,
        Delay = TimeSpan.Zero,
        UseJitter = false,

        // Polly adds no jitter here (the decider computes every delay); should it ever draw, it draws from the same source.
        Randomizer = random,
        ShouldHandle = args =>
        {
            // A status the preset does not retry needs no decision (the decider's answer would be a plain no, with nothing
            // to log or count); a pipeline run without an HTTP request (the fuzz tests, the benchmarks' twins) has
            // nothing to resend.
            var state = RequestState.Of(args.Context);
            ref readonly var verdict = ref state.VerdictOf(args.Outcome, inspector);
            if (verdict is { IsResponse: true, Rule.IsRetry: false } || args.Context.GetRequestMessage() is not { } request || args.Context.CancellationToken.IsCancellationRequested)
            {
                return new ValueTask<bool>(false);
            }

            var retryIndex = args.AttemptNumber - state.MeteredRetries;
            var decision = decider.Decide(verdict, request, state, retryIndex);
            state.Plan(args.Outcome, decision);
            if (decision.OverBudget)
            {
                metrics.BudgetRefusal(preset);
            }

            if (decision is { ShouldRetry: false, DeclinedBecause: string reason } && retryIndex < preset.MaxRetryAttempts)
            {
                Log.RetryDeclined(logger, preset.ClientName, request, decision.Cause, reason);
            }

            return new ValueTask<bool>(decider.MayRetry(decision, state, retryIndex));
        },
        DelayGenerator = args => new ValueTask<TimeSpan?>(RequestState.Of(args.Context).PlannedFor(args.Outcome).Delay),
        OnRetry = args =>
        {
            var state = RequestState.Of(args.Context);
            ref readonly var planned = ref state.PlannedFor(args.Outcome);
            state.RecordRetry(planned.StatusCode, planned.MeteredByLearner);

            // A retry the learned bucket holds for the server's wait waits that long, though its own delay is zero.
            var delay = planned.HeldFor ?? args.RetryDelay;
            metrics.Retry(preset, planned, delay, args.Outcome);
            Log.RetryScheduled(logger, preset.ClientName, args.Context.GetRequestMessage()!, planned, args.AttemptNumber + 1, delay);
            return default;
        },
    };

    private sealed class PresetStrategyOptions : ResilienceStrategyOptions;
}
