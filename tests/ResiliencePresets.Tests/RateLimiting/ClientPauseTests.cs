namespace ResiliencePresets.Tests.RateLimiting;

public sealed class ClientPauseTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void NewPause_HoldsNothing()
        => Assert.Equal(TimeSpan.Zero, new ClientPause().Remaining(Now));

    [Fact]
    public void Extend_HoldsUntilThatMoment()
    {
        var pause = new ClientPause();

        Assert.True(pause.Extend(Now.AddSeconds(3)));

        Assert.Equal(TimeSpan.FromSeconds(3), pause.Remaining(Now));
        Assert.Equal(TimeSpan.FromSeconds(1), pause.Remaining(Now.AddSeconds(2)));
        Assert.Equal(TimeSpan.Zero, pause.Remaining(Now.AddSeconds(4)));
    }

    [Fact]
    public void ShorterPause_NeverShortensALongerOne()
    {
        var pause = new ClientPause();
        pause.Extend(Now.AddSeconds(5));

        Assert.False(pause.Extend(Now.AddSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(5), pause.Remaining(Now));
    }

    [Fact]
    public void ExtendForAWait_HoldsThatLong()
    {
        var pause = new ClientPause();

        Assert.True(pause.Extend(Now, TimeSpan.FromSeconds(3)));

        Assert.Equal(TimeSpan.FromSeconds(3), pause.Remaining(Now));
    }

    [Fact]
    public void ExtendForAWaitPastTheEndOfDateTimeOffset_HoldsUntilThatEndWithoutThrowing()
    {
        var pause = new ClientPause();
        var late = DateTimeOffset.MaxValue.AddSeconds(-10);

        Assert.True(pause.Extend(late, TimeSpan.FromDays(1)));

        Assert.Equal(DateTimeOffset.MaxValue - late, pause.Remaining(late));
    }
}
