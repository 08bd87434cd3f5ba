namespace ResiliencePresets.Tests.Attempts;

public sealed class ServerWaitSpreadTests
{
    [Fact]
    public void Apply_ServerNamedWait_IsPaddedSoATimerFiringEarlyStillWakesAfterTheNamedInstant()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(76), ServerWaitSpread.Apply(Ms(60), jitterRoom: Ms(30_000), paddingRoom: Ms(10_000), random: 0));
    }

    [Theory]
    [InlineData(1_000, 0.5, 1_066)]
    [InlineData(1_000, 0.999, 1_115.9)]
    [InlineData(20_000, 0.999, 21_015)]
    public void Apply_Jitter_IsAtMostATenthOfTheWaitAndAtMostOneSecond(int waitMs, double random, double expectedMs)
    {
        Assert.Equal(expectedMs, ServerWaitSpread.Apply(Ms(waitMs), jitterRoom: Ms(60_000), paddingRoom: Ms(60_000), random).TotalMilliseconds, precision: 0);
    }

    [Theory]
    [InlineData(1_000, 1_005, 1_005)]
    [InlineData(1_000, 1_000, 1_000)]
    [InlineData(1_000, 900, 1_000)]
    public void Apply_WaitNearTheEndOfTotalTimeout_PaddingStopsAtTheTimeLeft(int waitMs, int timeLeftMs, int expectedMs)
    {
        Assert.Equal(Ms(expectedMs), ServerWaitSpread.Apply(Ms(waitMs), jitterRoom: Ms(waitMs), paddingRoom: Ms(timeLeftMs), random: 0.9));
    }

    [Fact]
    public void Apply_WaitAtTheLongestHonored_GetsNoJitterPastIt()
    {
        Assert.Equal(Ms(30_016), ServerWaitSpread.Apply(Ms(30_000), jitterRoom: Ms(30_000), paddingRoom: Ms(60_000), random: 0.9));
    }

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
