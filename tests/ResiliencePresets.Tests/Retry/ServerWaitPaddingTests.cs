namespace ResiliencePresets.Tests.Retry;

public sealed class ServerWaitPaddingTests
{
    [Fact]
    public void Apply_ServerNamedWait_IsPaddedSoATimerFiringEarlyStillRetriesAfterTheNamedInstant()
    {
        var planned = ServerWait(TimeSpan.FromMilliseconds(60));

        var delay = ServerWaitPadding.Apply(planned, timeLeft: TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(76), delay);
    }

    [Fact]
    public void Apply_Backoff_IsUnchanged()
    {
        var planned = new RetryDecision(true, "503", 503, TimeSpan.FromMilliseconds(60), RetryDelaySource.Backoff, null, null);

        Assert.Equal(TimeSpan.FromMilliseconds(60), ServerWaitPadding.Apply(planned, timeLeft: TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(1_000, 1_005, 1_005)]
    [InlineData(1_000, 1_000, 1_000)]
    [InlineData(1_000, 900, 1_000)]
    public void Apply_ServerNamedWaitNearTheEndOfTotalTimeout_PaddingStopsAtTheTimeLeft(int waitMs, int timeLeftMs, int expectedMs)
    {
        var delay = ServerWaitPadding.Apply(ServerWait(TimeSpan.FromMilliseconds(waitMs)), TimeSpan.FromMilliseconds(timeLeftMs));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }

    private static RetryDecision ServerWait(TimeSpan delay)
        => new(true, "429", 429, delay, RetryDelaySource.ServerHeader, "retry-after-ms", null);
}
