using System.Globalization;
using System.Text;
using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Simulation.Report;

/// <summary>
/// The payments block of docs/performance.md, between its own markers inside "## Payments through a rate limiter", so
/// that it is written apart from the load simulation's block.
/// </summary>
public static class PaymentsReport
{
    public const string Heading = "## Payments through a rate limiter";
    public const string Start = "<!-- payments:results:start -->";
    public const string End = "<!-- payments:results:end -->";

    public static string Write(PaymentsSettings settings, IReadOnlyList<PaymentsResult> results, MachineInfo machine)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(machine);
        var text = new StringBuilder();
        Line(text, $"Run on {machine.Date:yyyy-MM-dd}: {machine.Cores} cores, {machine.OperatingSystem}, {machine.Runtime}; `dotnet run -c Release --project tests/ResiliencePresets.Simulation -- --payments`.");
        Line(text);
        Line(text, $"### {Format.Count(settings.Workers)} workers, {Format.Count(settings.Payments)} payments (one POST each), limit {Format.Count(settings.Rate)} requests/s, {Format.Percent(settings.LostAnswers)} of charges lose their answer; floor {Format.Seconds(settings.Floor)}");
        Line(text);
        Line(text, "| Server | Setup | Charged once | **Charged twice or more** | Extra charges | Failed to callers | of which charged | Calls | Refused (429) | Key with another body (422) | Answers lost | Completion ÷ floor |");
        Line(text, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Line(text, $"| {r.Server} | {r.Setup} | {Format.Count(r.ChargedOnce)} | **{Format.Count(r.ChargedMoreThanOnce)}** | {Format.Count(r.ExtraCharges)} | {Format.Count(r.FailedToCallers)} | {Format.Count(r.FailedButCharged)} | {Format.Count(r.Calls)} | {Format.Count(r.Refused)} | {Format.Count(r.Conflicts)} | {Format.Count(r.LostAnswers)} | {Format.Ratio(r.Completion / settings.Floor)} |");
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string line = "") => text.Append(CultureInfo.InvariantCulture, $"{line}\n");
}
