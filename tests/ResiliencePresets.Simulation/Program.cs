using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Instances;
using ResiliencePresets.Simulation.Report;
using ResiliencePresets.Simulation.Scenarios;

// One instance of the multi-instance scenario, started by the simulation itself as a process of its own.
if (args.FirstOrDefault() == InstanceArguments.Mode)
{
    return await InstanceMode.RunAsync(args);
}

var limiterAt = Array.IndexOf(args, "--limiter");
var only = limiterAt >= 0 && limiterAt + 1 < args.Length ? args[limiterAt + 1] : null;
if (args.Where((a, i) => limiterAt < 0 || (i != limiterAt && i != limiterAt + 1)).Any(a => a is not ("--quick" or "--no-doc" or "--stale-if-error" or "--payments" or "--instances" or "--trace"))
    || (limiterAt >= 0 && only is null))
{
    Console.Error.WriteLine("Usage: dotnet run -c Release --project tests/ResiliencePresets.Simulation [-- --quick] [--no-doc] [--stale-if-error | --payments | --instances [--trace] | --limiter NAME [--trace]]");
    Console.Error.WriteLine("  --limiter NAME  only the limiter servers whose name contains NAME, or one of NAME|NAME… (\"fixed window\", \"nginx\", \"classic\", …); prints only");
    Console.Error.WriteLine("  --trace   with --limiter: ReadOnlyApi's learned rate, pause and wire, quarter second by quarter second (defaults, and the server's rate configured)");
    Console.Error.WriteLine("            with --instances: each instance's learned rate, quarter second by quarter second; prints only");
    Console.Error.WriteLine("  --stale-if-error  only the stale-if-error outage (docs/performance.md: its own block)");
    Console.Error.WriteLine("  --payments        only the payments through a rate limiter that loses answers (docs/performance.md: its own block)");
    Console.Error.WriteLine("  --instances       only the multi-instance scenario: 4 processes sharing one limit, alone, configured, through Redis (its own block)");
    Console.Error.WriteLine("  --quick   300 requests per setup, one limiter of each kind with 60 requests, shorter timelines, no multi-instance runs");
    Console.Error.WriteLine("            (with --instances: 400 requests, one nginx variant); docs/performance.md is left as it is");
    Console.Error.WriteLine("  --no-doc  print the results without writing docs/performance.md");
    return 2;
}

var quick = args.Contains("--quick");
if (args.Contains("--stale-if-error"))
{
    return await StaleOutageRun.RunAsync(quick, writeDocument: !quick && !args.Contains("--no-doc"));
}

if (args.Contains("--payments"))
{
    return await PaymentsRun.RunAsync(quick, writeDocument: !quick && !args.Contains("--no-doc"));
}

if (args.Contains("--instances"))
{
    // A traced run samples every instance's learned rate, which costs them a little: it prints only.
    var trace = args.Contains("--trace");
    return await MultiInstanceRun.RunAsync(quick, writeDocument: !quick && !trace && !args.Contains("--no-doc"), trace);
}

if (only is not null)
{
    using var limiterCounters = new PresetCounters();
    var results = await new LimiterPlan(quick, only, args.Contains("--trace")).RunAsync(limiterCounters);
    var tables = new System.Text.StringBuilder();
    LimiterTables.Write(tables, results);
    Console.WriteLine(tables);
    return 0;
}

var contention = quick ? new ContentionSettings { Requests = 300 } : new ContentionSettings();
var amplification = quick
    ? new AmplificationSettings { WarmUp = TimeSpan.FromSeconds(2), Failing = TimeSpan.FromSeconds(4), Recovery = TimeSpan.FromSeconds(1) }
    : new AmplificationSettings();
using var counters = new PresetCounters();

// The contention runs go one at a time: their completion times are what they measure.
var runs = ContentionSetups.All(contention.ServerRate).Select(s => (Setup: s, Headers: false))
    .Concat(ContentionSetups.WithQuotaHeaders(contention.ServerRate).Select(s => (Setup: s, Headers: true)));
var contentionResults = new List<ContentionResult>();
foreach (var (setup, headers) in runs)
{
    Console.WriteLine($"contention: {setup.Name}{(headers ? ", server sends quota headers" : string.Empty)}");
    contentionResults.Add(await ContentionScenario.RunAsync(setup, headers, contention, counters));
}

// The hedging runs go one at a time too: latency is what they measure.
var hedging = quick ? new HedgingSettings { WarmUp = 150, Requests = 500 } : new HedgingSettings();
var hedgingResults = new List<HedgingResult>();
foreach (var setup in HedgingSetups.All)
{
    Console.WriteLine($"hedging: {setup.Name}");
    hedgingResults.Add(await HedgingScenario.RunAsync(setup, hedging));
}

// The amplification runs count requests, which timing barely moves, so they share the machine.
Console.WriteLine("amplification: every setup at once");
var amplificationResults = await Task.WhenAll(AmplificationSetups.All.Select(s => AmplificationScenario.RunAsync(s, amplification, counters)));

// The limiter runs: nginx, ASP.NET Core's middleware, the classic case and a limit that changes mid-run.
var limiterResults = await new LimiterPlan(quick).RunAsync(counters);

var report = new SimulationReport(quick, contention, contentionResults, amplification, amplificationResults, MachineInfo.Current())
{
    HedgingSettings = hedging,
    Hedging = hedgingResults,
    LimiterResults = limiterResults,
};
var markdown = MarkdownReport.Write(report);
Console.WriteLine();
Console.WriteLine(markdown);

if (!quick && !args.Contains("--no-doc") && PerformanceDocument.Locate() is string path)
{
    File.WriteAllText(path, PerformanceDocument.Update(File.Exists(path) ? File.ReadAllText(path) : null, markdown));
    Console.WriteLine($"written to {path}");
}

// The multi-instance runs last, alone on the machine: each starts four processes, and completion is what it measures.
// --quick leaves them out (--instances --quick runs a short version alone).
return quick ? 0 : await MultiInstanceRun.RunAsync(quick: false, writeDocument: !args.Contains("--no-doc"));
