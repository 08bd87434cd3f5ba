namespace ResiliencePresets.Redis.Tests.Bucket;

public sealed class LeaseGrantTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 6, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(3.0, 1, 0)]
    [InlineData(3.0, 3, 0)]
    [InlineData(3.0, 4, 100)]
    [InlineData(0.5, 1, 50)]
    [InlineData(-2.0, 1, 300)]
    public void UsableAt_PermitsTheBucketHeld_AtOnce_TheOthersWhenEarned(double before, int permit, int expectedMs)
    {
        var grant = new LeaseGrant(At, before, 5, PermitsPerSecond: 10);

        Assert.Equal(At + TimeSpan.FromMilliseconds(expectedMs), grant.UsableAt(permit));
    }

    [Theory]
    [InlineData(0.0, 0, 0, 100)]
    [InlineData(-10.0, 0, 1000, 100)]
    [InlineData(-12.5, 0, 1000, 350)]
    public void RetryAfter_NothingGranted_IsWhenTheBucketCanGrantAgain(double before, int granted, int horizonMs, int expectedMs)
    {
        var grant = new LeaseGrant(At, before, granted, PermitsPerSecond: 10);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), grant.RetryAfter(TimeSpan.FromMilliseconds(horizonMs)));
    }
}
