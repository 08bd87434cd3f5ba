using System.Globalization;
using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Scenarios;

var quick = args.Contains("--quick");
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var settings = quick ? new ContentionSettings { Requests = 300 } : new ContentionSettings();
using var counters = new PresetCounters();
foreach (var (setup, headers) in ContentionSetups.All(settings.ServerRate).Select(s => (s, false)).Concat(ContentionSetups.WithQuotaHeaders(settings.ServerRate).Select(s => (s, true))))
{
    if (only is not null && !setup.Name.Contains(only, StringComparison.OrdinalIgnoreCase))
    {
        continue;
    }

    var r = await ContentionScenario.RunAsync(setup, headers, settings, counters);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Setup,-55} h={headers} calls={r.Calls} wasted={r.Wasted} ({r.WastedShare:P1}) time={r.CompletionRatio:F2}x fail={r.Failures} retries={r.Library.Retries} refused={r.Library.BudgetRefusals} pauses={r.Library.Pauses} throttled={r.Library.Throttled}"));
}

if (args.Contains("--amp"))
{
    var amp = quick ? new AmplificationSettings { WarmUp = TimeSpan.FromSeconds(2), Failing = TimeSpan.FromSeconds(4), Recovery = TimeSpan.FromSeconds(1) } : new AmplificationSettings();
    var results = await Task.WhenAll(AmplificationSetups.All.Select(s => AmplificationScenario.RunAsync(s, amp, counters)));
    foreach (var r in results)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Setup,-55} A={r.OfferedToA} B={r.ReachedB} ({r.AtB:F2}x) C={r.ReachedC} ({r.AtC:F2}x) failedA={r.FailedAtA} toB={r.ToB} toC={r.ToC}"));
    }
}
