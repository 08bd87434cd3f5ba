using Polly;

namespace ResiliencePresets;

/// <summary>
/// What one logical request has been through so far: when it started, which status codes caused retries, and the
/// retry the decider has just planned.
/// </summary>
internal sealed class RetryState
{
    public static readonly ResiliencePropertyKey<RetryState> Key = new("ResiliencePresets.RetryState");

    private List<int>? _retriedStatusCodes;

    public RetryState(long startTimestamp) => StartTimestamp = startTimestamp;

    public long StartTimestamp { get; }

    public RetryDecision Planned { get; set; }

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
}
