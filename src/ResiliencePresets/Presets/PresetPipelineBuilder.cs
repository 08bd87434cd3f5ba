using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace ResiliencePresets;

/// <summary>
/// Turns any preset into Polly strategies. Every preset, built-in or configured, goes through this one builder, in
/// this fixed order (outermost first): request preparation, total timeout, retry, circuit breaker, attempt timeout.
/// </summary>
internal static class PresetPipelineBuilder
{
    public const string PreparationName = "RequestPreparation";
    public const string TotalTimeoutName = "TotalTimeout";
    public const string RetryName = "Retry";
    public const string CircuitBreakerName = "CircuitBreaker";
    public const string AttemptTimeoutName = "AttemptTimeout";

    public static void Build(ResiliencePipelineBuilder<HttpResponseMessage> builder, PresetPolicy policy, TimeProvider timeProvider, ILogger logger, Func<double> random)
    {
        builder.TimeProvider = timeProvider;
        builder.AddStrategy(_ => new RequestPreparationStrategy(policy, timeProvider), new PreparationStrategyOptions { Name = PreparationName });
        builder.AddTimeout(new TimeoutStrategyOptions { Name = TotalTimeoutName, Timeout = policy.TotalTimeout });

        if (policy.MaxRetryAttempts > 0)
        {
            builder.AddRetry(CreateRetry(policy, new RetryDecider(policy, timeProvider, random), logger));
        }

        if (policy.BreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = CircuitBreakerName,
                FailureRatio = policy.FailureRatio,
                MinimumThroughput = policy.MinimumThroughput,
                SamplingDuration = policy.SamplingDuration,
                BreakDuration = policy.BreakDuration,
                ShouldHandle = args => new ValueTask<bool>(BreakerFailure.IsFailure(args.Outcome, policy, timeProvider)),
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = AttemptTimeoutName, Timeout = policy.AttemptTimeout });
    }

    private static RetryStrategyOptions<HttpResponseMessage> CreateRetry(PresetPolicy policy, RetryDecider decider, ILogger logger) => new()
    {
        Name = RetryName,
        MaxRetryAttempts = policy.MaxRetryAttempts,

        // The decider computes every delay, backoff included, so that it can refuse a wait that outlasts the total timeout.
        BackoffType = DelayBackoffType.Constant,
        Delay = TimeSpan.Zero,
        UseJitter = false,
        ShouldHandle = args =>
        {
            var state = args.Context.Properties.GetValue(RetryState.Key, null!);
            var request = args.Context.GetRequestMessage();
            if (state is null || request is null || args.Context.CancellationToken.IsCancellationRequested)
            {
                return new ValueTask<bool>(false);
            }

            var decision = decider.Decide(args.Outcome, request, state, args.AttemptNumber);
            state.Planned = decision;
            if (decision is { ShouldRetry: false, DeclinedBecause: string reason } && args.AttemptNumber < policy.MaxRetryAttempts)
            {
                Log.RetryDeclined(logger, policy.ClientName, request, decision.Cause, reason);
            }

            return new ValueTask<bool>(decision.ShouldRetry);
        },
        DelayGenerator = args => new ValueTask<TimeSpan?>(args.Context.Properties.GetValue(RetryState.Key, null!)?.Planned.Delay ?? TimeSpan.Zero),
        OnRetry = args =>
        {
            var state = args.Context.Properties.GetValue(RetryState.Key, null!);
            var request = args.Context.GetRequestMessage();
            if (state is null || request is null)
            {
                return default;
            }

            var planned = state.Planned;
            state.RecordRetry(planned.StatusCode);
            Log.RetryScheduled(logger, policy.ClientName, request, planned, args.AttemptNumber + 1, args.RetryDelay);
            return default;
        },
    };

    private sealed class PreparationStrategyOptions : ResilienceStrategyOptions;
}
