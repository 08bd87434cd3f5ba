namespace ResiliencePresets.Tests.Retry;

public sealed class BackoffDelayTests
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ThirtySeconds = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 0.5, 500)]
    [InlineData(1, 0.5, 1_000)]
    [InlineData(2, 0.5, 2_000)]
    [InlineData(3, 0.5, 4_000)]
    [InlineData(4, 0.5, 8_000)]
    [InlineData(0, 0.25, 250)]
    [InlineData(3, 0.125, 1_000)]
    public void Compute_BelowTheCap_IsTheRandomShareOfBaseTimesTwoToTheRetryIndex(int retryIndex, double random, double expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), BackoffDelay.Compute(retryIndex, OneSecond, ThirtySeconds, random));
    }

    [Theory]
    [InlineData(5, 0.5)]
    [InlineData(6, 0.5)]
    [InlineData(10, 0.5)]
    [InlineData(5, 0.1)]
    public void Compute_CeilingAboveMaxDelay_IsCappedAtMaxDelay(int retryIndex, double random)
    {
        Assert.Equal(TimeSpan.FromTicks((long)(ThirtySeconds.Ticks * random)), BackoffDelay.Compute(retryIndex, OneSecond, ThirtySeconds, random));
    }

    [Theory]
    [InlineData(30)]
    [InlineData(61)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1_000)]
    [InlineData(int.MaxValue)]
    public void Compute_HighRetryIndex_DoesNotOverflowAndStaysBelowMaxDelay(int retryIndex)
    {
        var almostOne = Math.BitDecrement(1.0);

        var longest = BackoffDelay.Compute(retryIndex, TimeSpan.FromHours(1), TimeSpan.FromHours(1), almostOne);
        var half = BackoffDelay.Compute(retryIndex, OneSecond, ThirtySeconds, 0.5);

        Assert.InRange(longest, TimeSpan.FromHours(1) - TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.Equal(TimeSpan.FromSeconds(15), half);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(100)]
    public void Compute_RandomZero_IsNoWait(int retryIndex)
    {
        Assert.Equal(TimeSpan.Zero, BackoffDelay.Compute(retryIndex, OneSecond, ThirtySeconds, 0));
    }

    [Fact]
    public void Compute_ZeroBaseDelay_IsNoWait()
    {
        Assert.Equal(TimeSpan.Zero, BackoffDelay.Compute(8, TimeSpan.Zero, ThirtySeconds, 0.9));
    }

    [Fact]
    public void Compute_ManySeededRandomDraws_StayWithinZeroAndTheCeilingAndSpreadAcrossIt()
    {
        var random = new Random(20250115);
        for (var retryIndex = 0; retryIndex < 12; retryIndex++)
        {
            var ceiling = TimeSpan.FromTicks(Math.Min(ThirtySeconds.Ticks, OneSecond.Ticks << retryIndex));
            var delays = Enumerable.Range(0, 500).Select(_ => BackoffDelay.Compute(retryIndex, OneSecond, ThirtySeconds, random.NextDouble())).ToList();

            Assert.All(delays, d => Assert.True(d >= TimeSpan.Zero && d < ceiling, $"retry {retryIndex}: {d} not in [0, {ceiling})"));

            // Full jitter: the draws cover the whole range, not a band near the ceiling.
            Assert.Contains(delays, d => d < ceiling * 0.1);
            Assert.Contains(delays, d => d > ceiling * 0.9);
        }
    }
}
