using Microsoft.Extensions.Time.Testing;

namespace ResiliencePresets.Tests.RateLimiting;

/// <summary>
/// The learned bucket: one permit per interval at a rate that can change, a hold for a server's pause, and waiters
/// served in their request's arrival order.
/// </summary>
public sealed class LearnedRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task AcquireAsync_SpacesPermitsOneIntervalApart()
    {
        using var limiter = new LearnedRateLimiter(_time, permitsPerSecond: 10);

        using var first = await limiter.AcquireAsync(1, CancellationToken.None);
        var second = limiter.AcquireAsync(2, CancellationToken.None).AsTask();

        Assert.True(first.IsAcquired);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True((await second).IsAcquired);
    }

    [Fact]
    public async Task AcquireAsync_ServesWaitersInArrivalOrderNotQueueOrder()
    {
        using var limiter = new LearnedRateLimiter(_time, permitsPerSecond: 10);
        using var first = await limiter.AcquireAsync(0, CancellationToken.None);

        var newer = limiter.AcquireAsync(20, CancellationToken.None).AsTask();
        var newest = limiter.AcquireAsync(30, CancellationToken.None).AsTask();
        var olderRetry = limiter.AcquireAsync(10, CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(olderRetry.IsCompletedSuccessfully);
        Assert.False(newer.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(newer.IsCompletedSuccessfully);
        Assert.False(newest.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await newest;
    }

    [Fact]
    public async Task AcquireAsync_APauseSetWhileTheyWait_HoldsTheWaitersThenReleasesThemOneIntervalApart()
    {
        using var limiter = new LearnedRateLimiter(_time, permitsPerSecond: 4);
        using var first = await limiter.AcquireAsync(0, CancellationToken.None);
        var pause = new ClientPause();
        var waiters = Enumerable.Range(1, 3).Select(i => limiter.AcquireAsync(i, CancellationToken.None, pause).AsTask()).ToArray();
        pause.Extend(_time.GetUtcNow(), TimeSpan.FromSeconds(1));

        _time.Advance(TimeSpan.FromSeconds(1) + ServerWaitSpread.Padding - TimeSpan.FromMilliseconds(1));
        Assert.All(waiters, w => Assert.False(w.IsCompleted));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await waiters[0];
        Assert.False(waiters[1].IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        await waiters[1];
        Assert.False(waiters[2].IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        await waiters[2];
    }

    [Fact]
    public async Task AcquireAsync_AWaiterHeldByAPause_DoesNotHoldOthers()
    {
        using var limiter = new LearnedRateLimiter(_time, permitsPerSecond: 10);
        using var first = await limiter.AcquireAsync(0, CancellationToken.None);
        var pause = new ClientPause();
        pause.Extend(_time.GetUtcNow(), TimeSpan.FromSeconds(20));
        var paused = limiter.AcquireAsync(1, CancellationToken.None, pause).AsTask();
        var elsewhere = limiter.AcquireAsync(2, CancellationToken.None, new ClientPause()).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(100));

        await elsewhere;
        Assert.False(paused.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(20));
        await paused;
    }

    // A fresh bucket (the first rate signal, which also paused its host, just made it) has given no permit yet: a
    // waiter held by nothing was scheduled a day out, and the paused waiter with it.
    [Fact]
    public async Task AcquireAsync_BeforeAnyPermit_AWaiterHeldByAPause_DoesNotHoldOthers()
    {
        using var limiter = new LearnedRateLimiter(_time, permitsPerSecond: 10);
        var pause = new ClientPause();
        pause.Extend(_time.GetUtcNow(), TimeSpan.FromSeconds(2));
        var paused = limiter.AcquireAsync(1, CancellationToken.None, pause).AsTask();
        var elsewhere = limiter.AcquireAsync(2, CancellationToken.None, new ClientPause()).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(elsewhere.IsCompletedSuccessfully);
        Assert.False(paused.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2) + ServerWaitSpread.Padding);
        Assert.True((await paused).IsAcquired);
    }

    [Fact]
    public async Task SetRate_AppliesToAttemptsAlreadyWaiting()
    {
        using var limiter = new LearnedRateLimiter(_time, permitsPerSecond: 0.5);
        using var first = await limiter.AcquireAsync(0, CancellationToken.None);
        var waiting = limiter.AcquireAsync(1, CancellationToken.None).AsTask();

        limiter.SetRate(10);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True((await waiting).IsAcquired);
        Assert.Equal(10, limiter.PermitsPerSecond, 6);
    }

    [Fact]
    public async Task AcquireAsync_CanceledWaiter_LeavesTheQueueAndTheNextOneIsServed()
    {
        using var limiter = new LearnedRateLimiter(_time, permitsPerSecond: 10);
        using var first = await limiter.AcquireAsync(0, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var canceled = limiter.AcquireAsync(1, cancel.Token).AsTask();
        var next = limiter.AcquireAsync(2, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.Equal(1, limiter.GetStatistics().CurrentQueuedCount);
        _time.Advance(TimeSpan.FromMilliseconds(100));

        Assert.True((await next).IsAcquired);
        Assert.Equal(0, limiter.GetStatistics().CurrentQueuedCount);
    }

    [Fact]
    public void AttemptAcquire_BeforeTheInterval_IsRefused()
    {
        using var limiter = new LearnedRateLimiter(_time, permitsPerSecond: 10);

        using var first = limiter.AttemptAcquire();
        using var second = limiter.AttemptAcquire();

        Assert.True(first.IsAcquired);
        Assert.False(second.IsAcquired);
        Assert.Equal(1, limiter.GetStatistics().TotalFailedLeases);
    }
}
