using BenchmarkDotNet.Running;
using ResiliencePresets.Benchmarks;

if (args is ["--interleaved", .. var scenarios])
{
    await InterleavedTiming.RunAsync(scenarios);
    return;
}

if (args is ["--shared"])
{
    await SharedStateTiming.RunAsync();
    return;
}

if (args is ["--profile-shared", var sharedScenario, var redis, var sharedSeconds])
{
    await SharedProfileLoop.RunAsync(sharedScenario, redis, int.Parse(sharedSeconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["--profile", var setup, var scenario, var seconds])
{
    await ProfileLoop.RunAsync(setup, scenario, int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture));
    return;
}



BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
