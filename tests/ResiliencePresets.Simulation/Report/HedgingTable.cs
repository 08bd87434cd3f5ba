using System.Globalization;
using System.Text;
using ResiliencePresets.Simulation.Scenarios;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Simulation.Report;

/// <summary>Writes the hedging scenario's table.</summary>
public static class HedgingTable
{
    public static void Write(StringBuilder text, HedgingSettings settings, IReadOnlyList<HedgingResult> results)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return;
        }

        Line(text, $"### Hedging: {Format.Count(settings.Requests)} GET requests at {settings.Rate:0}/s after {Format.Count(settings.WarmUp)} not measured; the server answers {1 - TailLatencyApi.SlowShare:P0} in {TailLatencyApi.Fast.TotalMilliseconds:0} ms, {TailLatencyApi.SlowShare:P0} in {Format.Seconds(TailLatencyApi.Slow)}");
        Line(text);
        Line(text, "| Setup | p50 | p99 | p99.9 | Reached the server | Extra requests | Failures |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Line(text, $"| {r.Setup} | {Ms(r.P50)} | **{Ms(r.P99)}** | {Ms(r.P999)} | {Format.Count(r.Arrivals)} | {Format.Percent(r.ExtraShare)} | {Format.Count(r.Failures)} |");
        }

        Line(text);
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static void Line(StringBuilder text, string line = "") => text.Append(CultureInfo.InvariantCulture, $"{line}\n");
}
