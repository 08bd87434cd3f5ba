using Microsoft.Extensions.ObjectPool;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// What one logical request has been through so far: when it started, which status codes caused retries, and the
/// retry the decider has just planned.
/// </summary>
/// <remarks>
/// Every request needs one, so they are pooled: <see cref="Rent"/> before the first attempt, <see cref="Return"/> once
/// the last attempt has ended.
/// </remarks>
internal sealed class RetryState : IResettable
{
    public static readonly ResiliencePropertyKey<RetryState> Key = new("ResiliencePresets.RetryState");

    private static readonly ObjectPool<RetryState> Pool = new DefaultObjectPool<RetryState>(new DefaultPooledObjectPolicy<RetryState>());

    private List<int>? _retriedStatusCodes;

    public RetryState()
    {
    }

    public RetryState(long startTimestamp) => StartTimestamp = startTimestamp;

    public long StartTimestamp { get; private set; }

    public RetryDecision Planned { get; set; }

    public static RetryState Rent(long startTimestamp)
    {
        var state = Pool.Get();
        state.StartTimestamp = startTimestamp;
        return state;
    }

    public static void Return(RetryState state) => Pool.Return(state);

    public int RetriesFor(int statusCode)
    {
        var count = 0;
        foreach (var code in _retriedStatusCodes ?? [])
        {
            count += code == statusCode ? 1 : 0;
        }

        return count;
    }

    public void RecordRetry(int? statusCode)
    {
        if (statusCode is int code)
        {
            (_retriedStatusCodes ??= []).Add(code);
        }
    }

    public bool TryReset()
    {
        StartTimestamp = 0;
        Planned = default;
        _retriedStatusCodes?.Clear();
        return true;
    }
}
