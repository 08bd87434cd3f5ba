using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;

namespace ResiliencePresets.Tests.RateLimiting;

public sealed class QuotaPacerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WithoutQuotaInformation_NothingWaits()
    {
        var pacer = new QuotaPacer();

        Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(TimeSpan.Zero, pacer.Reserve(Now)));
    }

    [Fact]
    public void RemainingQuota_IsSpreadEvenlyOverTheWindow()
    {
        var pacer = new QuotaPacer();
        pacer.Observe(remaining: 4, resetIn: TimeSpan.FromSeconds(2), Now);

        var waits = Enumerable.Range(0, 4).Select(_ => pacer.Reserve(Now)).ToList();

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(1500)], waits);
    }

    [Fact]
    public void Waits_NeverReachPastTheWindowsEnd()
    {
        var pacer = new QuotaPacer();
        pacer.Observe(remaining: 2, resetIn: TimeSpan.FromSeconds(1), Now);

        var waits = Enumerable.Range(0, 5).Select(_ => pacer.Reserve(Now)).ToList();

        Assert.All(waits, w => Assert.True(w <= TimeSpan.FromSeconds(1), $"waited {w}"));
    }

    [Fact]
    public void AfterTheWindow_NothingWaits()
    {
        var pacer = new QuotaPacer();
        pacer.Observe(remaining: 1, resetIn: TimeSpan.FromSeconds(10), Now);
        pacer.Reserve(Now);

        Assert.Equal(TimeSpan.Zero, pacer.Reserve(Now.AddSeconds(11)));
    }

    [Fact]
    public void Reserve_InTheNextWindow_WaitsOnlyForTheNewQuotasPace()
    {
        var pacer = new QuotaPacer();
        pacer.Observe(remaining: 1, resetIn: TimeSpan.FromSeconds(60), Now);
        pacer.Reserve(Now);
        pacer.Reserve(Now);
        pacer.Reserve(Now);

        // The window reset: 100 requests in the next minute, and nothing reserved in it yet.
        pacer.Observe(remaining: 100, resetIn: TimeSpan.FromSeconds(60), Now.AddSeconds(61));

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(600)], [pacer.Reserve(Now.AddSeconds(61)), pacer.Reserve(Now.AddSeconds(61))]);
    }

    [Fact]
    public void ExhaustedQuota_IsLeftToTheClientPause()
    {
        var pacer = new QuotaPacer();
        pacer.Observe(remaining: 0, resetIn: TimeSpan.FromSeconds(10), Now);

        Assert.Equal(TimeSpan.Zero, pacer.Reserve(Now));
    }

    [Theory]
    [InlineData(5, 500_000_000_000)]
    [InlineData(1, 922_337_203_685)]
    public void ResetPastTheEndOfDateTimeOffset_PacesUntilThatEndWithoutThrowing(long remaining, long resetSeconds)
    {
        var pacer = new QuotaPacer();
        pacer.Observe(remaining, TimeSpan.FromSeconds(resetSeconds), Now);

        var waits = Enumerable.Range(0, 3).Select(_ => pacer.Reserve(Now)).ToList();

        Assert.Equal(TimeSpan.Zero, waits[0]);
        Assert.All(waits.Skip(1), w => Assert.True(w > TimeSpan.Zero && w <= DateTimeOffset.MaxValue - Now, $"waited {w}"));
    }

    [Fact]
    public void ResetObservedNearTheEndOfDateTimeOffset_DoesNotThrow()
    {
        var pacer = new QuotaPacer();
        var late = DateTimeOffset.MaxValue.AddDays(-1);
        pacer.Observe(remaining: 2, resetIn: TimeSpan.FromDays(30), late);

        // The window ends at DateTimeOffset.MaxValue, a day away, before the second 15-day slot.
        Assert.Equal(TimeSpan.Zero, pacer.Reserve(late));
        Assert.Equal(DateTimeOffset.MaxValue - late, pacer.Reserve(late));
        Assert.Equal(DateTimeOffset.MaxValue - late, pacer.Reserve(late));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1.999, true)]
    [InlineData(2, false)]
    [InlineData(60, false)]
    public void Holds_OnlyWhileTheQuotasWindowLasts(double secondsLater, bool holds)
    {
        var pacer = new QuotaPacer();
        Assert.False(pacer.Holds(Now));
        pacer.Observe(remaining: 40, resetIn: TimeSpan.FromSeconds(2), Now);

        Assert.Equal(holds, pacer.Holds(Now.AddSeconds(secondsLater)));
        Assert.Equal(20, pacer.PermitsPerSecond, 6);
    }

    [Fact]
    public void SharedBucket_RefillsAtTheLatestQuotasPaceNeverBelowTheFloor_AndCountsEachQuotaReadAsACut()
    {
        var time = new FakeTimeProvider(Now);
        using var pacer = new QuotaPacer();
        var shared = new RecordingSharedState();
        pacer.Observe(remaining: 40, resetIn: TimeSpan.FromSeconds(2), Now);

        using var bucket = pacer.SharedBucket(shared, minPermitsPerSecond: 0.5, time);
        time.Advance(TimeSpan.FromSeconds(1));
        var (first, firstSinceCut) = (shared.Rate!(), shared.SinceCut!());
        pacer.Observe(remaining: 1, resetIn: TimeSpan.FromSeconds(10), time.GetUtcNow());

        Assert.Equal((20, TimeSpan.FromSeconds(1)), (first, firstSinceCut));
        Assert.Equal((0.5, TimeSpan.Zero), (shared.Rate!(), shared.SinceCut!()));
    }

    [Fact]
    public void SharedBucket_OfAnotherSharedState_RetiresTheBucketOfTheFirst()
    {
        var time = new FakeTimeProvider(Now);
        using var pacer = new QuotaPacer();
        pacer.Observe(remaining: 40, resetIn: TimeSpan.FromSeconds(2), Now);
        var (first, second) = (new RecordingSharedState(), new RecordingSharedState());

        var bucket = pacer.SharedBucket(first, 0.5, time);
        var again = pacer.SharedBucket(first, 0.5, time);
        var other = pacer.SharedBucket(second, 0.5, time);

        Assert.Same(bucket, again);
        Assert.NotSame(bucket, other);
        Assert.Throws<ObjectDisposedException>(() => bucket.AttemptAcquire(1));
        Assert.True(other.AttemptAcquire(1).IsAcquired);
    }

    // Records the rate and the cut the pacer hands to the shared learned bucket; the bucket is a local one of one token.
    private sealed class RecordingSharedState : ISharedClientState
    {
        public Func<double>? Rate { get; private set; }

        public Func<TimeSpan>? SinceCut { get; private set; }

        public Task Ready => Task.CompletedTask;

        public int Instances => 1;

        public void Paused(TimeSpan wait, ClientPauseReason reason)
        {
        }

        public RateLimiter Bucket(double permitsPerSecond, int burst, int queueLimit) => throw new NotSupportedException();

        public RateLimiter LearnedBucket(Func<double> permitsPerSecond, Func<TimeSpan> sinceCut, ISharedLearner? learner = null)
        {
            (Rate, SinceCut) = (permitsPerSecond, sinceCut);
            return new LearnedRateLimiter(TimeProvider.System, permitsPerSecond());
        }
    }
}
