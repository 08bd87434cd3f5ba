using ResiliencePresets.Simulation.Report;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>Runs every stale-if-error setup one after another, prints the table and writes its block of docs/performance.md.</summary>
public static class StaleOutageRun
{
    public static async Task<int> RunAsync(bool quick, bool writeDocument)
    {
        var settings = quick ? new StaleOutageSettings { Outage = TimeSpan.FromSeconds(3) } : new StaleOutageSettings();
        var results = new List<StaleOutageResult>();
        foreach (var (name, staleIfError) in StaleOutageScenario.Setups)
        {
            Console.WriteLine($"stale-if-error: {name}");
            results.Add(await StaleOutageScenario.RunAsync(name, staleIfError, settings));
        }

        var markdown = StaleOutageReport.Write(settings, results, MachineInfo.Current());
        PerformanceDocument.Publish(markdown, writeDocument, StaleOutageReport.Heading, StaleOutageReport.Start, StaleOutageReport.End);

        return results.Any(r => r.CrossUser > 0) ? 1 : 0;
    }
}
