using ResiliencePresets.Demo.Results;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// The numeric columns of the results, in order, shared by the terminal table and the plain report. They add up:
/// Failed includes the breaker's refusals and Not sent; Attempts = Requests − Not sent + Retries.
/// </summary>
internal static class ResultColumns
{
    /// <summary>Gets each column: its header, its cell, and when the cell is bad news (red in a terminal).</summary>
    public static IReadOnlyList<(string Header, Func<SetupResult, string> Cell, Func<SetupResult, bool>? Bad)> All { get; } =
    [
        ("Requests", r => Format.Count(r.Requests), null),
        ("Failed", Failed, r => r.Failed > 0),
        ("Not sent", r => Format.Count(r.NotSent), r => r.NotSent > 0),
        ("Attempts", r => Format.Count(r.Attempts), null),
        ("Retries", r => Format.Count(r.Retries), null),
        ("429s", r => Format.Count(r.RateLimited), null),
        ("No-wait 429s", r => $"{Format.Count(r.UnnamedRateLimitsFirstHalf)} → {Format.Count(r.UnnamedRateLimitsSecondHalf)}", null),
        ("Search rate", r => r.LearnedSearchRate is double rate ? Format.Rate(rate) : "–", null),
        ("Waits honored", Format.WaitsHonored, r => r.RetriedEarly > 0),
        ("Unsafe retries", r => Format.Count(r.UnsafeRetries), r => r.UnsafeRetries > 0),
        ("Dup. charges", r => Format.Count(r.DuplicateCharges), r => r.DuplicateCharges > 0),
        ("p50", r => Format.Latency(r.LatencyP50), null),
        ("p99", r => Format.Latency(r.LatencyP99), null),
    ];

    private static string Failed(SetupResult r) => r.BreakerRejections > 0
        ? $"{Format.Count(r.Failed)} ({Format.Count(r.BreakerRejections)} breaker)"
        : Format.Count(r.Failed);
}
