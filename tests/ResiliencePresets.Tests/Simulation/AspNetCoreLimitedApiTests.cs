using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Limiters;
using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Tests.Simulation;

/// <summary>
/// The simulation's APIs behind ASP.NET Core's rate limiting middleware: a burst of concurrent requests exceeds each
/// limiter at once, and its refusals carry Retry-After as the variant writes it.
/// </summary>
public sealed class AspNetCoreLimitedApiTests
{
    // The fixed window's lease names the whole window (1 s), the token bucket's the time to its next tokens (a fraction
    // of a second): truncated, that is 0. The sliding window's names no wait at all.
    [Theory]
    [InlineData(AspNetCoreAlgorithm.FixedWindow, RetryAfterWriting.RoundedUp, "1")]
    [InlineData(AspNetCoreAlgorithm.FixedWindow, RetryAfterWriting.Truncated, "1")]
    [InlineData(AspNetCoreAlgorithm.FixedWindow, RetryAfterWriting.Absent, null)]
    [InlineData(AspNetCoreAlgorithm.SlidingWindow, RetryAfterWriting.RoundedUp, null)]
    [InlineData(AspNetCoreAlgorithm.SlidingWindow, RetryAfterWriting.Truncated, null)]
    [InlineData(AspNetCoreAlgorithm.TokenBucket, RetryAfterWriting.RoundedUp, "1")]
    [InlineData(AspNetCoreAlgorithm.TokenBucket, RetryAfterWriting.Truncated, "0")]
    [InlineData(AspNetCoreAlgorithm.TokenBucket, RetryAfterWriting.Absent, null)]
    public async Task AspNetCoreLimitedApi_BurstOverTheLimit_RefusedWith429AndItsRetryAfter(AspNetCoreAlgorithm algorithm, RetryAfterWriting writing, string? expected)
    {
        await using var api = await AspNetCoreLimitedApi.StartAsync(new AspNetCoreVariant(algorithm, writing), rate: 5);
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(n => client.GetAsync(new Uri($"items/{n}", UriKind.Relative))));
        try
        {
            var refused = responses.Where(r => !r.IsSuccessStatusCode).ToList();
            Assert.InRange(responses.Length - refused.Count, 1, 10);
            Assert.NotEmpty(refused);
            Assert.All(refused, r => Assert.Equal(429, (int)r.StatusCode));
            Assert.All(refused, r => Assert.Equal(expected, r.Headers.TryGetValues("Retry-After", out var values) ? values.Single() : null));
        }
        finally
        {
            Array.ForEach(responses, r => r.Dispose());
        }
    }

    [Theory]
    [InlineData(0.4, RetryAfterWriting.RoundedUp, "1")]
    [InlineData(0.4, RetryAfterWriting.Truncated, "0")]
    [InlineData(2.0, RetryAfterWriting.RoundedUp, "2")]
    [InlineData(2.0, RetryAfterWriting.Truncated, "2")]
    [InlineData(2.5, RetryAfterWriting.Truncated, "2")]
    public void RetryAfterValue_WholeSeconds_RoundedUpOrTruncated(double seconds, RetryAfterWriting writing, string expected)
        => Assert.Equal(expected, AspNetCoreLimitedApi.RetryAfterValue(TimeSpan.FromSeconds(seconds), writing));

    [Fact]
    public async Task LimiterScenario_TokenBucket_CountsEveryAttemptBelowTheHandlers()
    {
        using var counters = new PresetCounters();
        var server = LimiterServers.OnAspNetCore(new AspNetCoreVariant(AspNetCoreAlgorithm.TokenBucket, RetryAfterWriting.RoundedUp), 10);

        var results = await LimiterScenario.RunAsync(server, [ContentionSetups.ImmediateRetry, ContentionSetups.ReadOnlyApiWithRate(10)], new LimiterSettings(Workers: 5, Requests: 20), counters);

        var (immediate, paced) = (results[0], results[1]);
        Assert.True(immediate.Wasted > 0, "the bucket of 10 refused nothing of 20 requests sent at once");
        Assert.Equal(immediate.Requests - immediate.Failures + immediate.Wasted, immediate.Calls);
        Assert.Equal(0, paced.Failures);
        Assert.Equal(paced.Requests + paced.Wasted, paced.Calls);
        Assert.Equal(TimeSpan.FromSeconds(2), paced.Floor);
    }
}
