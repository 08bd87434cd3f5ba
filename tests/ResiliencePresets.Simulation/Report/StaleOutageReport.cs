using System.Globalization;
using System.Text;
using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Simulation.Report;

/// <summary>
/// The stale-if-error block of docs/performance.md, between its own markers inside "## Stale-if-error", so that it is
/// written apart from the load simulation's block.
/// </summary>
public static class StaleOutageReport
{
    public const string Heading = "## Stale-if-error";
    public const string Start = "<!-- stale-if-error:results:start -->";
    public const string End = "<!-- stale-if-error:results:end -->";

    public static string Write(StaleOutageSettings settings, IReadOnlyList<StaleOutageResult> results, MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(machine);
        var text = new StringBuilder();
        Line(text, $"Run on {machine.Date:yyyy-MM-dd}: {machine.Cores} cores, {machine.OperatingSystem}, {machine.Runtime}; `dotnet run -c Release --project tests/ResiliencePresets.Simulation -- --stale-if-error`.");
        Line(text);
        Line(text, $"### Outage: {Format.Count(settings.Users)} users × {Format.Count(settings.ItemsPerUser)} URLs fetched once, then 503 for {Format.Seconds(settings.Outage)}, {Format.Count(settings.Workers)} workers requesting them as random users");
        Line(text);
        Line(text, "| Setup | Requests during the outage | Answered stale | Share answered stale | Failed | Answered with another user's response | Oldest stale answer (Age) | Reached the server |");
        Line(text, "|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Line(text, $"| {r.Setup} | {Format.Count(r.Requests)} | {Format.Count(r.Stale)} | **{Format.Percent(r.StaleShare)}** | {Format.Count(r.Failed)} | **{Format.Count(r.CrossUser)}** | {Format.Count(r.MaxAgeSeconds)} s | {Format.Count(r.ServerRequests)} |");
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string line = "") => text.Append(CultureInfo.InvariantCulture, $"{line}\n");
}
