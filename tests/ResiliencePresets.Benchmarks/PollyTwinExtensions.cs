using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// Hand-composed <c>AddResilienceHandler</c> pipelines with the strategies of a built-in preset, in the same order
/// (total timeout, retry, circuit breaker, attempt timeout) and with the same limits, and no HttpClient timeout.
/// </summary>
internal static class PollyTwinExtensions
{
    public static IHttpClientBuilder AddPollyTwin(this IHttpClientBuilder builder, string presetName, double failureRatio)
    {
        var settings = TwinSettings.For(presetName);
        builder.AddResilienceHandler(presetName + "Twin", pipeline =>
        {
            pipeline.AddTimeout(settings.TotalTimeout);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.Zero,

                // As the preset: a transient failure of a method the preset retries (the Retry-After header is read by default).
                ShouldHandle = args => new ValueTask<bool>(
                    args.Context.GetRequestMessage() is { } request &&
                    settings.RetriedMethods.Contains(request.Method.Method) &&
                    HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            });
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = failureRatio,
                MinimumThroughput = TwinSettings.MinimumThroughput,
                SamplingDuration = TwinSettings.SamplingDuration,
                BreakDuration = TwinSettings.BreakDuration,
            });
            pipeline.AddTimeout(settings.AttemptTimeout);
        });

        // The pipeline's total timeout governs the request, as in the standard handler and the presets; HttpClient's own
        // 100-second timeout would be a third timeout that neither of them has.
        return builder.ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
    }
}
