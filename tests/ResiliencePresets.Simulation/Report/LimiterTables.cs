using System.Text;
using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Simulation.Report;

/// <summary>
/// The limiter scenarios' tables, one per kind of server, a row per server and setup: requests, floor, completion,
/// wasted calls, failures to callers, and among those the circuit breaker's rejections (requests never sent).
/// </summary>
public static class LimiterTables
{
    public static void Write(StringBuilder text, IReadOnlyList<LimiterResult> results)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(results);
        foreach (var family in results.GroupBy(r => r.Family))
        {
            var changes = family.Any(r => r.LimitChanged);
            var first = family.First();
            MarkdownReport.Line(text);
            MarkdownReport.Line(text, family.Select(r => (r.Workers, r.Requests)).Distinct().Count() == 1
                ? $"### {family.Key}: {Format.Count(first.Workers)} workers, {Format.Count(first.Requests)} GET requests per setup"
                : $"### {family.Key}");
            MarkdownReport.Line(text);
            MarkdownReport.Line(text, "| Server | Setup | Requests | Floor | Completion | Completion ÷ floor | Wasted calls (% of requests) | of which sent before the first refusal came back | Wasted after it (% of requests) | Failed to callers (% of requests) | of which breaker rejections |"
                + (changes ? " Time to 90 % of the new rate | Wasted after the change |" : string.Empty));
            MarkdownReport.Line(text, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + (changes ? "---:|---:|" : string.Empty));
            foreach (var r in family)
            {
                MarkdownReport.Line(text, $"| {r.Server} | {r.Setup} | {Format.Count(r.Requests)} | {Format.Seconds(r.Floor)} | {Format.Seconds(r.Elapsed)} | {Format.Ratio(r.CompletionRatio)} | " +
                    $"{Format.Count(r.Wasted)} ({Format.Percent(r.WastedShare)}) | {Format.Count(r.WastedBeforeSignal)} | {Format.Count(r.Wasted - r.WastedBeforeSignal)} ({Format.Percent(r.WastedAfterSignalShare)}) | {Failures(r)} | {Format.Count(r.BreakerRejections)} |"
                    + (changes ? (r.LimitChanged ? $" {(r.Recovery is { } t ? Format.Seconds(t) : "not reached")} | {Format.Count(r.WastedAfterChange)} |" : " – | – |") : string.Empty));
            }
        }
    }

    private static string Failures(LimiterResult r) => r.Failures == 0
        ? "0"
        : $"{Format.Count(r.Failures)} ({Format.Percent(r.FailedShare)}: {string.Join(", ", r.FailureCauses.OrderByDescending(c => c.Value).Select(c => $"{Format.Count(c.Value)} {c.Key}"))})";
}
