using ResiliencePresets.Simulation.Report;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>Runs every payments setup against every limiter variant, one after another, prints the table and writes its block of docs/performance.md.</summary>
public static class PaymentsRun
{
    public static async Task<int> RunAsync(bool quick, bool writeDocument)
    {
        var settings = quick ? new PaymentsSettings { Payments = 60 } : new PaymentsSettings();
        var results = new List<PaymentsResult>();
        foreach (var server in PaymentsScenario.Servers)
        {
            foreach (var setup in PaymentsScenario.Setups(settings.Rate))
            {
                Console.WriteLine($"payments: {PaymentsScenario.ServerName(server)}: {setup.Name}");
                results.Add(await PaymentsScenario.RunAsync(server, setup, settings));
            }
        }

        var markdown = PaymentsReport.Write(settings, results, MachineInfo.Current());
        PerformanceDocument.Publish(markdown, writeDocument, PaymentsReport.Heading, PaymentsReport.Start, PaymentsReport.End);

        // A preset that charged a payment twice, or sent a key with another body, fails the run.
        return results.Any(r => r.Setup.StartsWith("PaymentWithIdempotencyKey", StringComparison.Ordinal) && (r.ChargedMoreThanOnce > 0 || r.Conflicts > 0)) ? 1 : 0;
    }
}
