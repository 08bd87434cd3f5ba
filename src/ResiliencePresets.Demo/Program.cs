using Microsoft.Extensions.Options;
using ResiliencePresets.Demo.Cli;
using ResiliencePresets.Demo.Output;
using ResiliencePresets.Demo.Results;
using ResiliencePresets.Demo.Workload;
using Spectre.Console;

if (!DemoArguments.TryParse(args, out var arguments, out var error))
{
    return Fail(error!);
}

if (arguments.Help)
{
    Console.WriteLine(DemoArguments.Usage);
    return 0;
}

var configuration = DemoConfiguration.Load();
var setups = ClientSetupCatalog.Create(configuration.GetSection(DemoConfiguration.SectionName)).Select(s => s.Name).ToList();
var preset = arguments.Preset is null ? null : setups.Find(s => string.Equals(s, arguments.Preset, StringComparison.OrdinalIgnoreCase));
if (arguments.Preset is not null && preset is null)
{
    return Fail($"--preset is '{arguments.Preset}'; it must name a client setup: {string.Join(", ", setups)}.");
}

var settings = new WorkloadSettings
{
    Configuration = configuration,
    RequestsPerSetup = arguments.Requests,
    Seed = arguments.Seed,
    Setups = preset is null ? null : [preset],
};

try
{
    if (arguments.Json)
    {
        JsonReport.Write(Console.Out, await DemoWorkload.RunAsync(settings));
    }
    else if (Console.IsOutputRedirected)
    {
        Console.WriteLine(Legend.Workload(settings.RequestsPerSetup, settings.Seed, settings.Interval));
        Console.WriteLine();
        var report = await DemoWorkload.RunAsync(settings, new PlainProgress(Console.Out).Report);
        Console.WriteLine();
        PlainReport.Write(Console.Out, report);
    }
    else
    {
        var console = AnsiConsole.Console;
        console.Write(new Rule("[bold]ResiliencePresets demo[/]").LeftJustified());
        console.MarkupLine($"[grey]{Markup.Escape(Legend.Workload(settings.RequestsPerSetup, settings.Seed, settings.Interval))}[/]");
        console.WriteLine();
        WorkloadReport report = await LiveProgress.RunAsync(console, preset is null ? setups : [preset], progress => DemoWorkload.RunAsync(settings, progress));
        console.WriteLine();
        ResultTable.Write(console, report);
    }

    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"The configuration in appsettings.json is invalid:{Environment.NewLine}  {string.Join($"{Environment.NewLine}  ", e.Failures)}");
    return 1;
}

static int Fail(string message)
{
    Console.Error.WriteLine($"error: {message}");
    Console.Error.WriteLine("Run with --help to see the options.");
    return 2;
}
