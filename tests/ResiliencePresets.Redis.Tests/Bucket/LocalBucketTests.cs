using Microsoft.Extensions.Time.Testing;

namespace ResiliencePresets.Redis.Tests.Bucket;

public sealed class LocalBucketTests
{
    [Fact]
    public void Lease_FullBucket_GrantsItsSizeAtOnce_AndReservesWithinTheHorizon()
    {
        var time = new FakeTimeProvider();
        var bucket = new LocalBucket();

        var grant = bucket.Lease(time.GetUtcNow(), permitsPerSecond: 10, size: 2, wanted: 50, horizon: TimeSpan.FromSeconds(1));

        Assert.Equal(12, grant.Granted);
        Assert.Equal(time.GetUtcNow(), grant.UsableAt(2));
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(1), grant.UsableAt(12));
        Assert.Equal(0, bucket.Lease(time.GetUtcNow(), 10, 2, 1, TimeSpan.FromSeconds(1)).Granted);
    }

    [Fact]
    public void Lease_AfterAQuietPeriod_RefillsAtTheRateUpToTheSize()
    {
        var time = new FakeTimeProvider();
        var bucket = new LocalBucket();
        Assert.Equal(2, bucket.Lease(time.GetUtcNow(), 10, 2, 2, TimeSpan.Zero).Granted);

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, bucket.Lease(time.GetUtcNow(), 10, 2, 5, TimeSpan.Zero).Granted);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, bucket.Lease(time.GetUtcNow(), 10, 2, 5, TimeSpan.Zero).Granted);
    }
}
