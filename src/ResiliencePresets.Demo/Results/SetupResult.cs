using ResiliencePresets.Demo.Server;
using ResiliencePresets.Demo.Workload;

namespace ResiliencePresets.Demo.Results;

/// <summary>
/// What one client setup did to the workload, every number measured in the run.
/// </summary>
public sealed record SetupResult
{
    public required string Setup { get; init; }

    public required string Description { get; init; }

    /// <summary>Gets the logical requests the application made.</summary>
    public int Requests { get; init; }

    /// <summary>Gets the logical requests that failed without a single attempt: refused by the client itself (its
    /// circuit breaker, its pause or its rate limit). They are among <see cref="Failed"/>.</summary>
    public int NotSent { get; init; }

    /// <summary>Gets the requests that ended refused by the client's circuit breaker (<c>BrokenCircuitException</c>),
    /// on their first attempt (then also <see cref="NotSent"/>) or on a retry. They are among <see cref="Failed"/>.</summary>
    public int BreakerRejections { get; init; }

    /// <summary>Gets the attempts that left the client (counted below its retries): requests sent plus <see cref="Retries"/>.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the attempts beyond the first of each request.</summary>
    public int Retries { get; init; }

    /// <summary>Gets the rate-limit answers that named no wait (the search API's bare 429) to requests of the first half
    /// of the workload (by request number).</summary>
    public int UnnamedRateLimitsFirstHalf { get; init; }

    /// <summary>Gets the rate-limit answers that named no wait to requests of the second half: fewer than in the first
    /// half when the client learned the limit, or when its breaker refused the requests before they were sent.</summary>
    public int UnnamedRateLimitsSecondHalf { get; init; }

    /// <summary>Gets the attempts that reached the server (counted by the server).</summary>
    public int ServerAttempts { get; init; }

    /// <summary>Gets the responses that said the rate limit is used up: 429, and GitHub's 403 with <c>X-RateLimit-Remaining: 0</c>.</summary>
    public int RateLimited { get; init; }

    /// <summary>Gets the responses that named a time to retry at (<c>retry-after-ms</c>, <c>X-RateLimit-Reset</c>, <c>Retry-After</c>).</summary>
    public int ToldToWait { get; init; }

    /// <summary>Gets the retries that came at or after the time the server named.</summary>
    public int RetriedOnTime { get; init; }

    /// <summary>Gets the retries that came before the time the server named.</summary>
    public int RetriedEarly { get; init; }

    /// <summary>Gets the retries after a failure that named no time, where the client picked the wait (its backoff).</summary>
    public int BackoffRetries { get; init; }

    /// <summary>Gets the logical requests retried when they should not have been: a POST retried without one unchanged
    /// idempotency key, or a retry of a 4xx that no retry can fix (404 and the like).</summary>
    public int UnsafeRetries { get; init; }

    /// <summary>Gets the logical POST requests sent more than once.</summary>
    public int PostsRetried { get; init; }

    /// <summary>Gets the charges the payment endpoint made.</summary>
    public int Charges { get; init; }

    /// <summary>Gets the charges made beyond the first for the same payment.</summary>
    public int DuplicateCharges { get; init; }

    /// <summary>Gets the logical requests that ended without the answer they needed.</summary>
    public int Failed { get; init; }

    /// <summary>Gets what the failed requests ended with, such as <c>chat 429</c> or <c>charge 500</c>, most frequent first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> FailedWith { get; init; } = [];

    /// <summary>Gets the rate, in requests a second, the search client paced its attempts at when the run ended, as the
    /// library's <c>resiliencepresets.client.learned_rate</c> gauge reports it; <see langword="null"/> when it did not throttle.</summary>
    public double? LearnedSearchRate { get; init; }

    public TimeSpan LatencyP50 { get; init; }

    public TimeSpan LatencyP99 { get; init; }

    /// <summary>Gets the smallest margin by which a retry followed the time the server named (negative: that early);
    /// <see langword="null"/> when no such retry happened.</summary>
    public TimeSpan? SmallestRetryMargin { get; init; }

    internal static SetupResult Measure(ClientSetup setup, IReadOnlyCollection<RequestOutcome> outcomes, IEnumerable<AttemptRecord> attempts, ServerLedger ledger)
    {
        var attemptList = attempts.ToList();
        var byRequest = attemptList.GroupBy(a => a.RequestId).Select(g => g.ToList()).ToList();
        var latencies = outcomes.Select(o => o.Latency).Order().ToList();
        var margins = ledger.RetryMargins;
        var sent = byRequest.Select(list => list[0].RequestId).ToHashSet();
        var half = (outcomes.Count + 1) / 2;
        var unnamed = attemptList.Where(a => a.RateLimited && !a.NamedWait).ToList();
        return new SetupResult
        {
            Setup = setup.Name,
            Description = setup.Description,
            Requests = outcomes.Count,
            NotSent = outcomes.Count(o => !sent.Contains(o.RequestId)),
            BreakerRejections = outcomes.Count(o => o.Result is "BrokenCircuitException" or "IsolatedCircuitException"),
            Attempts = attemptList.Count,
            Retries = attemptList.Count - sent.Count,
            UnnamedRateLimitsFirstHalf = unnamed.Count(a => a.RequestId < half),
            UnnamedRateLimitsSecondHalf = unnamed.Count(a => a.RequestId >= half),
            ServerAttempts = ledger.Attempts,
            RateLimited = attemptList.Count(a => a.RateLimited),
            ToldToWait = ledger.ToldToWait,
            RetriedOnTime = ledger.RetriedOnTime,
            RetriedEarly = ledger.RetriedEarly,
            BackoffRetries = ledger.RetriedWithoutNamedWait,
            UnsafeRetries = byRequest.Count(RetriedUnsafely),
            PostsRetried = byRequest.Count(list => list.Count > 1 && list[0].Method == "POST"),
            Charges = ledger.Charges,
            DuplicateCharges = ledger.DuplicateCharges,
            Failed = outcomes.Count(o => !o.Succeeded),
            FailedWith = [.. outcomes.Where(o => !o.Succeeded)
                .GroupBy(o => $"{RequestPlan.ShortName(o.Endpoint)} {o.Result}", StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => KeyValuePair.Create(g.Key, g.Count()))],
            LatencyP50 = Percentile(latencies, 0.50),
            LatencyP99 = Percentile(latencies, 0.99),
            SmallestRetryMargin = margins.Count == 0 ? null : margins.Min(),
        };
    }

    // The attempts of one request run one after another, so their recorded order is the order they were sent in.
    private static bool RetriedUnsafely(List<AttemptRecord> attempts)
    {
        for (var i = 1; i < attempts.Count; i++)
        {
            var (previous, current) = (attempts[i - 1], attempts[i]);
            var unsafeMethod = current.Method is "POST" or "PATCH"
                && (current.IdempotencyKey is null || current.IdempotencyKey != previous.IdempotencyKey);
            var hopelessStatus = previous.StatusCode is >= 400 and < 500 and not (408 or 409 or 425 or 429) && !previous.RateLimited;
            if (unsafeMethod || hopelessStatus)
            {
                return true;
            }
        }

        return false;
    }

    // Nearest rank: the smallest latency at or above the given share of all latencies.
    private static TimeSpan Percentile(List<TimeSpan> sorted, double share)
        => sorted.Count == 0 ? TimeSpan.Zero : sorted[Math.Max(0, (int)Math.Ceiling(share * sorted.Count) - 1)];
}
