using BenchmarkDotNet.Running;
using ResiliencePresets.Benchmarks;

if (args is ["--interleaved"])
{
    await InterleavedTiming.RunAsync();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
