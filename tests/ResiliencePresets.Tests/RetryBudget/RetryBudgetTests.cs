using Microsoft.Extensions.Time.Testing;

namespace ResiliencePresets.Tests.RetryBudget;

public sealed class RetryBudgetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void QuietClient_MayRetryUpToTheMinimum()
    {
        var budget = new ResiliencePresets.RetryBudget(maxRetryRatio: 0.2, minRetries: 3, TimeSpan.FromSeconds(10), _time);
        budget.RecordRequest();

        Assert.True(budget.TryAcquireRetry(out _, out _));
        Assert.True(budget.TryAcquireRetry(out _, out _));
        Assert.True(budget.TryAcquireRetry(out _, out _));
        Assert.False(budget.TryAcquireRetry(out var retries, out var requests));
        Assert.Equal((3, 1), (retries, requests));
    }

    // Regression: a request whose timestamp was read a whole window before it was counted (its thread stalled) reset
    // the bucket it shared by index with the current tenth, erasing the requests counted there: the budget then refused
    // retries the client had earned.
    [Fact]
    public void RequestCountedWithATimestampAWindowOld_DoesNotEraseTheCurrentRequests()
    {
        var budget = new ResiliencePresets.RetryBudget(maxRetryRatio: 0.5, minRetries: 0, TimeSpan.FromSeconds(10), _time);
        var stale = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(10));
        budget.RecordRequest();
        budget.RecordRequest();

        budget.RecordRequest(stale);

        Assert.True(budget.TryAcquireRetry(out var retries, out var requests));
        Assert.Equal((1, 3), (retries, requests));
    }

    [Fact]
    public void RetryTakenWithATimestampAWindowOld_IsCountedAndErasesNothing()
    {
        var budget = new ResiliencePresets.RetryBudget(maxRetryRatio: 0.5, minRetries: 0, TimeSpan.FromSeconds(10), _time);
        var stale = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(10));
        budget.RecordRequest();
        budget.RecordRequest();

        Assert.True(budget.TryAcquireRetry(stale, out _, out _));
        Assert.False(budget.TryAcquireRetry(out var retries, out var requests));
        Assert.Equal((1, 2), (retries, requests));
    }

    [Fact]
    public void BusyClient_MayRetryAShareOfItsRequests()
    {
        var budget = new ResiliencePresets.RetryBudget(maxRetryRatio: 0.2, minRetries: 0, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 100; i++)
        {
            budget.RecordRequest();
        }

        var granted = 0;
        while (budget.TryAcquireRetry(out _, out _))
        {
            granted++;
        }

        Assert.Equal(20, granted);
    }

    [Fact]
    public void RetriesLeaveTheWindow_AndTheBudgetRefills()
    {
        var budget = new ResiliencePresets.RetryBudget(maxRetryRatio: 0, minRetries: 2, TimeSpan.FromSeconds(10), _time);
        Assert.True(budget.TryAcquireRetry(out _, out _));
        Assert.True(budget.TryAcquireRetry(out _, out _));
        Assert.False(budget.TryAcquireRetry(out _, out _));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(budget.TryAcquireRetry(out _, out _));

        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.True(budget.TryAcquireRetry(out _, out _));
    }

    [Fact]
    public void RequestsLeaveTheWindow_AndNoLongerEarnRetries()
    {
        var budget = new ResiliencePresets.RetryBudget(maxRetryRatio: 0.5, minRetries: 0, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 10; i++)
        {
            budget.RecordRequest();
        }

        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.False(budget.TryAcquireRetry(out var retries, out var requests));
        Assert.Equal((0, 0), (retries, requests));
    }

    [Fact]
    public async Task ConcurrentCallers_NeverGetMoreRetriesThanTheBudget()
    {
        var budget = new ResiliencePresets.RetryBudget(maxRetryRatio: 0.1, minRetries: 5, TimeSpan.FromSeconds(10), _time);
        for (var i = 0; i < 1000; i++)
        {
            budget.RecordRequest();
        }

        var granted = 0;
        var callers = Enumerable.Range(0, 8).Select(caller => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                if (budget.TryAcquireRetry(out var _, out var _))
                {
                    Interlocked.Increment(ref granted);
                }
            }
        }));

        await Task.WhenAll(callers);

        Assert.Equal(100, granted);
    }
}
