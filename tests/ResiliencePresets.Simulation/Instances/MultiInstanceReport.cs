using System.Globalization;
using System.Text;
using ResiliencePresets.Simulation.Report;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// The multi-instance block of docs/performance.md, between its own markers inside "## Many instances", so that it is
/// written apart from the load simulation's block: a table per server, the run that loses Redis, and the targets.
/// </summary>
public static class MultiInstanceReport
{
    public const string Heading = "## Many instances";
    public const string Start = "<!-- many-instances:results:start -->";
    public const string End = "<!-- many-instances:results:end -->";

    /// <summary>The issue's targets for the setups shared through Redis.</summary>
    public const double WasteTarget = 0.03;
    public const double CompletionTarget = 1.10;

    public static string Write(MultiInstanceSettings settings, IReadOnlyList<MultiInstanceResult> results, MachineInfo machine, LoadAverage? before, LoadAverage? after, bool quick)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(machine);
        var text = new StringBuilder();
        Line(text, $"Run on {machine.Date:yyyy-MM-dd}: {machine.Cores} cores, {machine.OperatingSystem}, {machine.Runtime}; " +
            $"`dotnet run -c Release --project tests/ResiliencePresets.Simulation -- --instances{(quick ? " --quick" : string.Empty)}`; " +
            $"load average (1, 5, 15 min) {before?.ToString() ?? "unknown"} at the start, {after?.ToString() ?? "unknown"} at the end.");
        foreach (var server in results.GroupBy(r => r.Server))
        {
            Line(text);
            Line(text, $"### {server.Key}: {Format.Count(settings.Processes)} processes × {Format.Count(settings.WorkersPerProcess)} workers, {Format.Count(settings.Requests)} GET requests, one limit of {Format.Count(settings.Rate)} requests/s, floor {Format.Seconds(settings.Floor)}");
            Line(text);
            Line(text, "| Setup | Calls reaching the server | Wasted (refused) | of which sent before the first refusal came back | Wasted, % of requests | Wasted after it, % of requests | Completion | Completion ÷ floor | Instances done (first – last) | Failures to callers | Retries | Pauses started or lengthened | Waited for a permit | Redis round trips (per request) | Redis fallbacks |");
            Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in server)
            {
                Line(text, $"| {r.Setup} | {Format.Count(r.Calls)} | {Format.Count(r.Wasted)} | {Format.Count(r.WastedBeforeSignal)} | {Format.Percent(r.WastedShare)} | {Format.Percent(r.WastedAfterSignalShare)} | {Format.Seconds(r.Elapsed)} | {Format.Ratio(r.CompletionRatio)} | " +
                    $"{Format.Seconds(r.Completions.Min())} – {Format.Seconds(r.Completions.Max())} | {Failures(r)} | {Format.Count(r.Retries)} | {Format.Count(r.Pauses)} | {Format.Count(r.Throttled)} | " +
                    $"{(r.RoundTrips == 0 ? "–" : $"{Format.Count(r.RoundTrips)} ({((double)r.RoundTrips / r.Settings.Requests).ToString("0.00", CultureInfo.InvariantCulture)})")} | {Fallbacks(r)} |");
            }
        }

        var outages = results.Where(r => r.Outage is not null).ToList();
        if (outages.Count > 0)
        {
            Line(text);
            Line(text, "### Redis killed during the run, then started again (empty, on the same port)");
            Line(text);
            Line(text, "| Server | Redis killed at | Redis answering again at | Failures to callers | Wasted before the kill (% of successes then) | Wasted while Redis was down (% of successes then) | Wasted after Redis was back (% of successes then) | Redis fallbacks |");
            Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in outages)
            {
                var (killed, back) = r.Outage!.Value;
                Line(text, $"| {r.Server} | {Format.Seconds(killed)} | {Format.Seconds(back)} | {Failures(r)} | {Window(r.Between(TimeSpan.Zero, killed))} | {Window(r.Between(killed, back))} | " +
                    $"{Window(r.Between(back, TimeSpan.MaxValue))} | {Fallbacks(r)} |");
            }
        }

        Line(text);
        Line(text, "### Targets (shared through Redis with the defaults)");
        Line(text);
        Line(text, "| Server | Setup | Wasted ≤ 3 % of requests | As judged: wasted after the first refusal came back ≤ 3 % | Completion ≤ 1.10× floor | 0 failures to callers | After Redis is back: wasted ≤ 3 % |");
        Line(text, "|---|---|---|---|---|---|---|");
        foreach (var r in results.Where(r => r.RoundTrips > 0 || r.Outage is not null))
        {
            var returned = r.Outage is { } o ? r.Between(o.Back, TimeSpan.MaxValue) : default;
            Line(text, $"| {r.Server} | {r.Setup} | {Verdict(r.WastedShare <= WasteTarget, Format.Percent(r.WastedShare))} | {Verdict(r.WastedAfterSignalShare <= WasteTarget, Format.Percent(r.WastedAfterSignalShare))} | {Verdict(r.CompletionRatio <= CompletionTarget, Format.Ratio(r.CompletionRatio))} | " +
                $"{Verdict(r.Failures == 0, Format.Count(r.Failures))} | {(r.Outage is null ? "–" : Verdict(Share(returned) <= WasteTarget, Format.Percent(Share(returned))))} |");
        }

        return text.ToString();
    }

    /// <summary>Writes, for the console, each second's successes and refusals over all instances: where the waste went.</summary>
    public static void WriteTimeline(TextWriter writer, MultiInstanceResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        var seconds = result.Attempts.GroupBy(a => (int)a.At.TotalSeconds).OrderBy(g => g.Key)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}s:{g.Count(a => a.Status is >= 200 and < 300)}/{g.Count(a => a.Status is not (>= 200 and < 300))}"));
        writer.WriteLine($"  calls {result.Calls}, wasted {result.Wasted}, failures {result.Failures}, completion {Format.Seconds(result.Elapsed)}; per second (ok/refused): {string.Join(' ', seconds)}");
        if (result.Fallbacks.Count > 0)
        {
            writer.WriteLine($"  fallbacks: {Fallbacks(result)}");
        }

        var samples = result.LearnedRates.Count == 0 ? 0 : result.LearnedRates.Max(r => r.Count);
        if (samples > 0)
        {
            writer.WriteLine($"  learned rate of each instance, every {LearnedRateSampler.Interval.TotalMilliseconds:0} ms (– while it did not throttle):");
            for (var i = 0; i < samples; i++)
            {
                var at = LearnedRateSampler.Interval * (i + 1);
                var rates = result.LearnedRates.Select(r => i < r.Count && r[i] is { } rate ? rate.ToString("0.0", CultureInfo.InvariantCulture) : "–");
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {at.TotalSeconds,6:0.00} s  {string.Join(' ', rates.Select(r => r.PadLeft(6)))}"));
            }
        }
    }

    internal static void Line(StringBuilder text, string line = "") => text.Append(CultureInfo.InvariantCulture, $"{line}\n");

    private static double Share((int Wasted, int Succeeded) window) => window.Succeeded == 0 ? 0 : (double)window.Wasted / window.Succeeded;

    private static string Window((int Wasted, int Succeeded) window) => $"{Format.Count(window.Wasted)} ({Format.Percent(Share(window))} of {Format.Count(window.Succeeded)})";

    private static string Verdict(bool met, string figure) => $"{(met ? "met" : "**missed**")} ({figure})";

    private static string Failures(MultiInstanceResult r) => r.Failures == 0
        ? "0"
        : $"{Format.Count(r.Failures)} ({string.Join(", ", r.FailureCauses.OrderByDescending(c => c.Value).Select(c => $"{Format.Count(c.Value)} {c.Key}"))})";

    private static string Fallbacks(MultiInstanceResult r) => r.Fallbacks.Count == 0
        ? (r.RoundTrips == 0 ? "–" : "0")
        : string.Join(", ", r.Fallbacks.OrderByDescending(f => f.Value).Select(f => $"{Format.Count(f.Value)} {f.Key}"));
}
