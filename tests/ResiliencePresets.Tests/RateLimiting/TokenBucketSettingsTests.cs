namespace ResiliencePresets.Tests.RateLimiting;

public sealed class TokenBucketSettingsTests
{
    [Theory]
    [InlineData(1, 0, 1, 1000)]
    [InlineData(10, 0, 1, 100)]
    [InlineData(100, 0, 5, 50)]
    [InlineData(1000, 0, 50, 50)]
    [InlineData(100, 40, 5, 50)]
    public void Options_KeepTheConfiguredRate(double perSecond, int burst, int tokensPerPeriod, int periodMs)
    {
        var options = TokenBucketSettings.Options(perSecond, burst, queueLimit: 7);

        Assert.Equal(tokensPerPeriod, options.TokensPerPeriod);
        Assert.Equal(TimeSpan.FromMilliseconds(periodMs), options.ReplenishmentPeriod);
        Assert.Equal(perSecond, options.TokensPerPeriod / options.ReplenishmentPeriod.TotalSeconds, precision: 6);
        Assert.Equal(Math.Max(burst, tokensPerPeriod), options.TokenLimit);
        Assert.Equal(7, options.QueueLimit);
    }

    [Fact]
    public void PerMinuteRate_IsConvertedWithoutLoss()
    {
        var options = TokenBucketSettings.Options(100.0 / 60, burst: 0, queueLimit: 0);

        Assert.Equal(100.0 / 60, options.TokensPerPeriod / options.ReplenishmentPeriod.TotalSeconds, precision: 4);
    }
}
