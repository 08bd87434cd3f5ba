using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Redis.Tests.Bucket;

/// <summary>
/// The shared bucket's own logic on a fake clock, with a Redis that can never be reached: every lease comes from the
/// local fallback, and the permits are handed out in arrival order, each when it is earned.
/// </summary>
public sealed class SharedTokenBucketFallbackTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly SharedMetrics _metrics = new();
    private readonly RedisConnection _redis;
    private readonly SharedClient _shared;

    public SharedTokenBucketFallbackTests()
    {
        _redis = new RedisConnection(() => throw new InvalidOperationException("No Redis in this test."), owned: true, _time, NullLogger.Instance, _metrics);
        _shared = new SharedClient(new SharedKeys("test", "bucket"), _redis, _time, "instance");
    }

    [Fact]
    public async Task Acquire_RedisUnreachable_HandsOutTheBucketsPermitsInOrder_EachWhenEarned()
    {
        // 10 permits a second, a bucket of 2: two at once, then one every 100 ms.
        using var bucket = (SharedTokenBucket)_shared.Bucket(10, 2, 1000);
        var started = _time.GetUtcNow();

        var leases = Enumerable.Range(0, 4).Select(_ => bucket.AcquireAsync(1).AsTask()).ToArray();

        await Task.WhenAll(leases[0], leases[1]).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(leases[2].IsCompleted);
        await AdvanceUntil(leases[2]);
        Assert.False(leases[3].IsCompleted);
        Assert.InRange(_time.GetUtcNow() - started, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(190));
        await AdvanceUntil(leases[3]);

        Assert.All(await Task.WhenAll(leases), lease => Assert.True(lease.IsAcquired));
        Assert.True(_time.GetUtcNow() - started >= TimeSpan.FromMilliseconds(200), $"{_time.GetUtcNow() - started} passed");
    }

    [Fact]
    public async Task Acquire_Cancelled_LeavesTheQueue_AndTheNextRequestGetsThePermit()
    {
        using var bucket = (SharedTokenBucket)_shared.Bucket(10, 1, 1000);
        Assert.True((await bucket.AcquireAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired);
        using var cancel = new CancellationTokenSource();

        var cancelled = bucket.AcquireAsync(1, cancel.Token).AsTask();
        var next = bucket.AcquireAsync(1).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await AdvanceUntil(next);
        Assert.True((await next).IsAcquired);
    }

    [Fact]
    public async Task Acquire_NoQueue_RefusesAtOnceWhenNoPermitIsLeft_WithWhenToTryAgain()
    {
        using var bucket = (SharedTokenBucket)_shared.Bucket(10, 1, queueLimit: 0);
        Assert.True((await bucket.AcquireAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(10))).IsAcquired);

        using var refused = await bucket.AcquireAsync(1).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(100), retryAfter);
    }

    [Fact]
    public void LeaseLocally_SharedByFourInstances_GivesEachAQuarterOfTheRateAndTheBucket()
    {
        using var bucket = (SharedTokenBucket)_shared.Bucket(40, 8, 1000);

        var grant = bucket.LeaseLocally(5, instances: 4);

        Assert.Equal(5, grant.Granted);
        Assert.Equal(grant.At, grant.UsableAt(2));
        Assert.Equal(grant.At + TimeSpan.FromMilliseconds(300), grant.UsableAt(5));
    }

    public void Dispose()
    {
        _redis.Dispose();
        _metrics.Dispose();
    }

    // The fake clock moves only when told; the bucket's timer fires once it has moved far enough.
    private async Task AdvanceUntil(Task task)
    {
        for (var step = 0; step < 1000 && !task.IsCompleted; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            await Task.WhenAny(task, Task.Delay(50));
        }

        await task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
