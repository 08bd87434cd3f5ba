using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.RetryAfter;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("RateLimit", "\"default\";r=50;t=30", 50, 30)]
    [InlineData("RateLimit", "\"burst\";r=5;t=1, \"daily\";r=900;t=3600", 900, 3600)]
    [InlineData("RateLimit", "limit=100, remaining=20, reset=10", 20, 10)]
    [InlineData("RateLimit", "\"a\";r=100;t=10, \"b\";r=10;t=5", 10, 5)]
    [InlineData("RateLimit", "\"a\";r=0;t=5, \"b\";r=10;t=100", 10, 100)]
    [InlineData("RateLimit", "\"a\";r=50;t=1500000000", 50, 1500000000)]
    public void TryReadQuota_RateLimitField_TakesTheTightestPolicy(string name, string value, long remaining, long resetSeconds)
    {
        using var response = HttpMessages.Response(200, (name, value));

        Assert.True(RateLimitHeaders.TryReadQuota(response, Now, out var left, out var reset));
        Assert.Equal((remaining, TimeSpan.FromSeconds(resetSeconds)), (left, reset));
    }

    [Fact]
    public void TryReadQuota_RateLimitResetAboveTheEpochThreshold_IsDeltaSeconds()
    {
        using var response = HttpMessages.Response(200, ("RateLimit-Remaining", "1"), ("RateLimit-Reset", "1500000000"));

        Assert.True(RateLimitHeaders.TryReadQuota(response, Now, out _, out var reset));
        Assert.Equal(TimeSpan.FromSeconds(1_500_000_000), reset);
    }

    [Fact]
    public void IsExhausted_UnreadableRemaining_IsNotZero()
    {
        using var response = HttpMessages.Response(429, ("RateLimit", "\"default\";r=abc;t=30"));

        Assert.False(RateLimitHeaders.IsExhausted(response));
    }

    [Fact]
    public void TryReadQuota_RemainingAndResetPair_IsRead()
    {
        using var response = HttpMessages.Response(200, ("RateLimit-Remaining", "7"), ("RateLimit-Reset", "12"));

        Assert.True(RateLimitHeaders.TryReadQuota(response, Now, out var left, out var reset));
        Assert.Equal((7L, TimeSpan.FromSeconds(12)), (left, reset));
    }

    [Fact]
    public void TryReadQuota_GitHubEpochReset_IsAWaitFromNow()
    {
        var epoch = Now.AddSeconds(42).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = HttpMessages.Response(200, ("X-RateLimit-Remaining", "3"), ("X-RateLimit-Reset", epoch));

        Assert.True(RateLimitHeaders.TryReadQuota(response, Now, out var left, out var reset));
        Assert.Equal((3L, TimeSpan.FromSeconds(42)), (left, reset));
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining", "3")]
    [InlineData("X-RateLimit-Reset", "10")]
    [InlineData("RateLimit", "\"default\";q=100")]
    [InlineData("RateLimit-Remaining", "many")]
    [InlineData("RateLimit", "\"default\";r=abc;t=30")]
    public void TryReadQuota_IncompleteOrUnreadable_ReadsNothing(string name, string value)
    {
        using var response = HttpMessages.Response(200, (name, value));

        Assert.False(RateLimitHeaders.TryReadQuota(response, Now, out _, out _));
    }
}
