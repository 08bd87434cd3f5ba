using System.Globalization;
using System.Text;

namespace ResiliencePresets.Simulation.Report;

/// <summary>Writes a run's settings, tables and target checks as markdown: the block docs/performance.md holds.</summary>
public static class MarkdownReport
{
    public static string Write(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var (c, a, m) = (report.Contention, report.Amplification, report.Machine);
        var text = new StringBuilder();
        Line(text, $"Run on {m.Date:yyyy-MM-dd}: {m.Cores} cores, {m.OperatingSystem}, {m.Runtime}{(report.Quick ? ", `--quick`" : string.Empty)}.");
        Line(text);
        Line(text, $"### Contention: {Format.Count(c.Workers)} workers, {Format.Count(c.Requests)} GET requests, server token bucket {c.ServerRate:0} requests/s (burst {c.ServerBurst:0}), floor {Format.Seconds(c.Floor)}");
        Line(text);
        Line(text, "| Setup | Server quota headers | Calls | Wasted (429s) | of which sent before the first 429 came back | Runs of 429s | Wasted, % of requests | Wasted after the first 429 came back, % of requests | Completion ÷ floor | Failures to callers | Retries | Budget refusals | Pauses started or lengthened | Waited for a permit |");
        Line(text, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.ContentionResults)
        {
            var library = r.Library;
            var own = r.Setup.StartsWith("ReadOnlyApi", StringComparison.Ordinal);
            Line(text, $"| {r.Setup} | {(r.QuotaHeaders ? "yes" : "no")} | {Format.Count(r.Calls)} | {Format.Count(r.Wasted)} | {Format.Count(r.WastedBeforeSignal)} | {Format.Count(r.WastedBursts)} | {Format.Percent(r.WastedShare)} | {Format.Percent(r.WastedAfterSignalShare)} | {Format.Ratio(r.CompletionRatio)} | {Failures(r)} | " +
                $"{(own ? Format.Count(library.Retries) : "–")} | {(own ? Format.Count(library.BudgetRefusals) : "–")} | {(own ? Format.Count(library.Pauses) : "–")} | {(own ? Format.Count(library.Throttled) : "–")} |");
        }

        Line(text);
        Line(text, $"### Amplification: A → B → C, {a.OfferedRate:0} requests/s offered to A; C healthy {Format.Seconds(a.WarmUp)}, failing (503, no Retry-After) {Format.Seconds(a.Failing)}, healthy {Format.Seconds(a.Recovery)}");
        Line(text);
        Line(text, "| Setup at every tier | Reached A | Reached B | Reached C | Load at C ÷ load at A | A's callers failed | Retries A→B / B→C | Budget refusals A→B / B→C |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in report.AmplificationResults)
        {
            var own = r.Setup.StartsWith("ReadOnlyApi", StringComparison.Ordinal);
            Line(text, $"| {r.Setup} | {Format.Count(r.OfferedToA)} | {Format.Count(r.ReachedB)} ({Format.Ratio(r.AtB)}) | {Format.Count(r.ReachedC)} | **{Format.Ratio(r.AtC)}** | {Format.Count(r.FailedAtA)} | " +
                $"{(own ? $"{Format.Count(r.ToB.Retries)} / {Format.Count(r.ToC.Retries)}" : "–")} | {(own ? $"{Format.Count(r.ToB.BudgetRefusals)} / {Format.Count(r.ToC.BudgetRefusals)}" : "–")} |");
        }

        LimiterTables.Write(text, report.LimiterResults);

        Line(text);
        HedgingTable.Write(text, report.HedgingSettings, report.Hedging);
        Line(text, "### Targets");
        Line(text);
        Line(text, "| Target | Measured | Met |");
        Line(text, "|---|---:|---|");
        foreach (var (target, measured, met) in Targets.Check(report))
        {
            Line(text, $"| {target} | {measured} | {(met ? "yes" : "**no**")} |");
        }

        return text.ToString();
    }

    private static string Failures(Scenarios.ContentionResult r) => r.Failures == 0
        ? "0"
        : $"{Format.Count(r.Failures)} ({string.Join(", ", r.FailureCauses.OrderByDescending(c => c.Value).Select(c => $"{Format.Count(c.Value)} {c.Key}"))})";

    internal static void Line(StringBuilder text, string line = "") => text.Append(CultureInfo.InvariantCulture, $"{line}\n");
}
