using System.Text.Json;
using ResiliencePresets.Demo.Results;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// The results as JSON, for scripts: durations in milliseconds.
/// </summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Write(TextWriter writer, WorkloadReport report)
    {
        var document = new
        {
            report.Seed,
            report.RequestsPerSetup,
            ElapsedMs = Math.Round(report.Elapsed.TotalMilliseconds),
            Setups = report.Setups.Select(r => new
            {
                r.Setup,
                r.Description,
                r.Requests,
                r.NotSent,
                r.BreakerRejections,
                r.Attempts,
                r.Retries,
                r.ServerAttempts,
                r.RateLimited,
                r.UnnamedRateLimitsFirstHalf,
                r.UnnamedRateLimitsSecondHalf,
                LearnedSearchRatePerSecond = r.LearnedSearchRate is double rate ? Math.Round(rate, 2) : (double?)null,
                r.ToldToWait,
                r.RetriedOnTime,
                r.RetriedEarly,
                r.BackoffRetries,
                r.UnsafeRetries,
                r.PostsRetried,
                r.Charges,
                r.DuplicateCharges,
                r.Failed,
                FailedWith = r.FailedWith.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal),
                LatencyP50Ms = Math.Round(r.LatencyP50.TotalMilliseconds, 1),
                LatencyP99Ms = Math.Round(r.LatencyP99.TotalMilliseconds, 1),
                SmallestRetryMarginMs = r.SmallestRetryMargin is TimeSpan m ? Math.Round(m.TotalMilliseconds, 1) : (double?)null,
            }),
        };
        writer.WriteLine(JsonSerializer.Serialize(document, Options));
    }
}
