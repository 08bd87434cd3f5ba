using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Retry;
using Polly.Timeout;

namespace ResiliencePresets;

/// <summary>
/// Turns any preset into Polly strategies. Every preset, built-in or configured, goes through this one builder, in
/// this fixed order (outermost first): request preparation, total timeout, retry, client pacing, rate limiter (when a
/// rate is set), circuit breaker, attempt timeout.
/// </summary>
internal static class PresetPipelineBuilder
{
    public const string PreparationName = "RequestPreparation";
    public const string TotalTimeoutName = "TotalTimeout";
    public const string RetryName = "Retry";
    public const string PacingName = "ClientPacing";
    public const string RateLimiterName = "RateLimiter";
    public const string CircuitBreakerName = "CircuitBreaker";
    public const string AttemptTimeoutName = "AttemptTimeout";

    public static void Build(ResiliencePipelineBuilder<HttpResponseMessage> builder, PresetPolicy policy, PresetRuntime runtime)
    {
        var (client, timeProvider, logger, metrics, random, onPipelineDisposed, _) = runtime;
        var budget = client.Budget(policy, timeProvider);
        var limiter = client.Limiter(policy);
        if (limiter is not null)
        {
            (onPipelineDisposed ?? (_ => { }))(limiter.Release);
        }

        // One reading of each finished attempt, shared by the breaker, the pacing and the retry (see RequestState).
        var inspector = runtime.Inspector ?? new AttemptInspector(policy.Classifier, timeProvider);
        builder.TimeProvider = timeProvider;
        builder.AddStrategy(_ => new RequestPreparationStrategy(policy, timeProvider, budget, metrics, limiter), new PreparationStrategyOptions { Name = PreparationName });
        builder.AddTimeout(new TimeoutStrategyOptions { Name = TotalTimeoutName, Timeout = policy.TotalTimeout });

        if (policy.MaxRetryAttempts > 0)
        {
            builder.AddRetry(CreateRetry(policy, new RetryDecider(policy, timeProvider, random, budget), inspector, logger, metrics));
        }

        builder.AddStrategy(_ => new ClientPacingStrategy(policy, client, timeProvider, metrics, random, inspector), new PreparationStrategyOptions { Name = PacingName });

        if (limiter is not null)
        {
            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = RateLimiterName,
                RateLimiter = args => Acquire(limiter.Limiter, policy, metrics, args.Context.CancellationToken),
                OnRejected = _ =>
                {
                    metrics.Rejected(policy);
                    Log.RateLimitRejected(logger, policy.ClientName, policy.QueueLimit);
                    return default;
                },
            });
        }

        // A reload builds a new breaker, so the client follows the status of the one this build makes.
        var breaker = policy.BreakerEnabled ? new BreakerStatus() : null;
        client.Breaker = breaker;
        if (breaker is not null)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = CircuitBreakerName,
                StateProvider = breaker.Provider,
                FailureRatio = policy.FailureRatio,
                MinimumThroughput = policy.MinimumThroughput,
                SamplingDuration = policy.SamplingDuration,
                BreakDuration = policy.BreakDuration,
                ShouldHandle = args => new ValueTask<bool>(BreakerFailure.IsFailure(RequestState.Of(args.Context).VerdictOf(args.Outcome, inspector), policy.MaxRetryAfter)),
                OnOpened = args =>
                {
                    breaker.Opened(timeProvider.GetUtcNow() + args.BreakDuration);
                    return Transition(metrics, policy, "open");
                },
                OnHalfOpened = _ => Transition(metrics, policy, "half_open"),
                OnClosed = _ => Transition(metrics, policy, "closed"),
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = AttemptTimeoutName, Timeout = policy.AttemptTimeout });
    }

    // A permit at once is the common case; an attempt that has to queue is counted as throttled.
    private static ValueTask<System.Threading.RateLimiting.RateLimitLease> Acquire(System.Threading.RateLimiting.RateLimiter limiter, PresetPolicy policy, PresetMetrics metrics, CancellationToken cancellationToken)
    {
        var lease = limiter.AttemptAcquire();
        if (lease.IsAcquired)
        {
            return new(lease);
        }

        lease.Dispose();
        metrics.Throttled(policy);
        return limiter.AcquireAsync(1, cancellationToken);
    }

    private static ValueTask Transition(PresetMetrics metrics, PresetPolicy policy, string state)
    {
        metrics.BreakerTransition(policy, state);
        return default;
    }

    // The decision is made once, in ShouldHandle, and read back for the same outcome by DelayGenerator and OnRetry
    // (the protocol is stated on RequestState). The decider computes every delay, server waits and backoff alike.
    private static RetryStrategyOptions<HttpResponseMessage> CreateRetry(PresetPolicy policy, RetryDecider decider, AttemptInspector inspector, ILogger logger, PresetMetrics metrics) => new()
    {
        Name = RetryName,
        MaxRetryAttempts = policy.MaxRetryAttempts,
        BackoffType = DelayBackoffType.Constant,
        Delay = TimeSpan.Zero,
        UseJitter = false,
        ShouldHandle = args =>
        {
            // A pipeline run without an HTTP request (the fuzz tests, the benchmarks' twins) has nothing to resend.
            if (args.Context.GetRequestMessage() is not { } request || args.Context.CancellationToken.IsCancellationRequested)
            {
                return new ValueTask<bool>(false);
            }

            var state = RequestState.Of(args.Context);
            var decision = decider.Decide(state.VerdictOf(args.Outcome, inspector), request, state, args.AttemptNumber);
            state.Plan(args.Outcome, decision);
            if (decision.OverBudget)
            {
                metrics.BudgetRefusal(policy);
            }

            if (decision is { ShouldRetry: false, DeclinedBecause: string reason } && args.AttemptNumber < policy.MaxRetryAttempts)
            {
                Log.RetryDeclined(logger, policy.ClientName, request, decision.Cause, reason);
            }

            return new ValueTask<bool>(decision.ShouldRetry);
        },
        DelayGenerator = args => new ValueTask<TimeSpan?>(RequestState.Of(args.Context).PlannedFor(args.Outcome).Delay),
        OnRetry = args =>
        {
            var state = RequestState.Of(args.Context);
            var planned = state.PlannedFor(args.Outcome);
            state.RecordRetry(planned.StatusCode);
            metrics.Retry(policy, planned, args.RetryDelay, args.Outcome.Exception);
            Log.RetryScheduled(logger, policy.ClientName, args.Context.GetRequestMessage()!, planned, args.AttemptNumber + 1, args.RetryDelay);
            return default;
        },
    };

    private sealed class PreparationStrategyOptions : ResilienceStrategyOptions;
}
