using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Hedging;
using Polly.Retry;
using Polly.Testing;
using Polly.Timeout;

namespace ResiliencePresets.Tests.Pipeline;

public sealed class PresetPipelineShapeTests
{
    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi)]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public void EveryPreset_HasTheSameStrategyOrder(string preset)
    {
        var descriptor = Describe(preset, configure: null);

        Assert.Equal(
            ["TotalTimeout", "Retry", "ClientPacing", "CircuitBreaker", "AttemptTimeout"],
            descriptor.Strategies.Select(s => s.Options!.Name));
        Assert.IsType<TimeoutStrategyOptions>(descriptor.Strategies[0].Options);
        Assert.IsType<RetryStrategyOptions<HttpResponseMessage>>(descriptor.Strategies[1].Options);
        Assert.IsType<CircuitBreakerStrategyOptions<HttpResponseMessage>>(descriptor.Strategies[3].Options);
        Assert.IsType<TimeoutStrategyOptions>(descriptor.Strategies[4].Options);
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, 4, 10, 60)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, 2, 10, 60)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, 3, 30, 120)]
    public void EveryPreset_CarriesItsDefaultsIntoPolly(string preset, int retries, int attemptSeconds, int totalSeconds)
    {
        var strategies = Describe(preset, configure: null).Strategies;

        Assert.Equal(TimeSpan.FromSeconds(totalSeconds), ((TimeoutStrategyOptions)strategies[0].Options!).Timeout);
        // Polly's cap leaves room for the retries the learned rate meters; the decider holds the preset's own count.
        Assert.Equal(retries + RetryDecider.MaxMeteredRetries, ((RetryStrategyOptions<HttpResponseMessage>)strategies[1].Options!).MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(attemptSeconds), ((TimeoutStrategyOptions)strategies[4].Options!).Timeout);
    }

    [Fact]
    public void ZeroRetries_LeavesTheRetryStrategyOut()
    {
        var descriptor = Describe(ResiliencePresetNames.ReadOnlyApi, o => o.Retry.MaxRetryAttempts = 0);

        Assert.Equal(["TotalTimeout", "ClientPacing", "CircuitBreaker", "AttemptTimeout"], descriptor.Strategies.Select(s => s.Options!.Name));
    }

    [Fact]
    public void DisabledBreaker_LeavesTheBreakerOut()
    {
        var descriptor = Describe(ResiliencePresetNames.ReadOnlyApi, o => o.CircuitBreaker.Enabled = false);

        Assert.Equal(["TotalTimeout", "Retry", "ClientPacing", "AttemptTimeout"], descriptor.Strategies.Select(s => s.Options!.Name));
    }

    [Fact]
    public void ConfiguredRate_AddsTheRateLimiterInsideThePacing()
    {
        var descriptor = Describe(ResiliencePresetNames.ReadOnlyApi, o => o.RateLimit.PermitsPerSecond = 50);

        Assert.Equal(
            ["TotalTimeout", "Retry", "ClientPacing", "RateLimiter", "CircuitBreaker", "AttemptTimeout"],
            descriptor.Strategies.Select(s => s.Options!.Name));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi)]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public void StaleIfError_AddsTheStaleIfErrorStrategyOutermost(string preset)
    {
        var descriptor = Describe(preset, o => o.Fallback.StaleIfError = TimeSpan.FromMinutes(5));

        Assert.Equal(
            ["StaleIfError", "TotalTimeout", "Retry", "ClientPacing", "CircuitBreaker", "AttemptTimeout"],
            descriptor.Strategies.Select(s => s.Options!.Name));
        Assert.IsType<StaleIfErrorStrategy>(descriptor.Strategies[0].StrategyInstance);
    }

    [Fact]
    public void StaleIfError_WithTheRateLimiterAndWithoutRetries_StaysOutermost()
    {
        var descriptor = Describe(ResiliencePresetNames.ReadOnlyApi, o =>
        {
            o.Fallback.StaleIfError = TimeSpan.FromSeconds(30);
            o.Retry.MaxRetryAttempts = 0;
            o.RateLimit.PermitsPerSecond = 50;
        });

        Assert.Equal(
            ["StaleIfError", "TotalTimeout", "ClientPacing", "RateLimiter", "CircuitBreaker", "AttemptTimeout"],
            descriptor.Strategies.Select(s => s.Options!.Name));
    }

    [Fact]
    public void EnabledHedging_AddsPollysHedgingInsideTheRetry()
    {
        var descriptor = Describe(ResiliencePresetNames.ReadOnlyApi, o => (o.Hedging.Enabled, o.Hedging.MaxHedgedAttempts) = (true, 2));

        Assert.Equal(
            ["TotalTimeout", "Retry", "Hedging", "ClientPacing", "CircuitBreaker", "AttemptTimeout"],
            descriptor.Strategies.Select(s => s.Options!.Name));
        var hedging = Assert.IsType<HedgingStrategyOptions<HttpResponseMessage>>(descriptor.Strategies[2].Options);
        Assert.Equal(2, hedging.MaxHedgedAttempts);
    }

    [Fact]
    public void EnabledHedgingWithARateAndNoRetries_SitsOutsideThePacingAndTheLimiter()
    {
        var descriptor = Describe(ResiliencePresetNames.IdempotentWrite, o => (o.Hedging.Enabled, o.Retry.MaxRetryAttempts, o.RateLimit.PermitsPerSecond) = (true, 0, 10));

        Assert.Equal(
            ["TotalTimeout", "Hedging", "ClientPacing", "RateLimiter", "CircuitBreaker", "AttemptTimeout"],
            descriptor.Strategies.Select(s => s.Options!.Name));
    }

    [Fact]
    public void EnabledHedgingWithStaleIfError_SitsInsideTheRetry_AndStaleIfErrorStaysOutermost()
    {
        var descriptor = Describe(ResiliencePresetNames.ReadOnlyApi, o => (o.Hedging.Enabled, o.Fallback.StaleIfError) = (true, TimeSpan.FromMinutes(1)));

        Assert.Equal(
            ["StaleIfError", "TotalTimeout", "Retry", "Hedging", "ClientPacing", "CircuitBreaker", "AttemptTimeout"],
            descriptor.Strategies.Select(s => s.Options!.Name));
    }

    private static ResiliencePipelineDescriptor Describe(string preset, Action<ResiliencePresetOptions>? configure)
    {
        var services = new ServiceCollection();
        var client = services.AddHttpClient("api");
        if (configure is null)
        {
            client.AddResiliencePreset(preset);
        }
        else
        {
            client.AddResiliencePreset(preset, configure);
        }

        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<PresetPipelineProvider>().GetPipeline("api").GetPipelineDescriptor();
    }
}
