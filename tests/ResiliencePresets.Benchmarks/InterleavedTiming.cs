using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// A cross-check for machines shared with other work: sends through every setup in turn, in short rounds, so that a
/// burst of outside load hits all setups alike, and prints each setup's 25th-percentile and median time per request
/// and its ratios to the standard handler and the Polly twin, and the bytes it allocates per request (all threads, so
/// read the figure to tens of bytes): <c>--interleaved [200] [503] [429]</c>, every scenario
/// when none is named.
/// </summary>
internal static class InterleavedTiming
{
    private const int Rounds = 60;
    private const int RequestsPerRound = 5000;

    public static async Task RunAsync(IReadOnlyCollection<string> scenarios)
    {
        HttpStatusCode?[] firstStatuses = [null, HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests];
        var selected = firstStatuses.Where(first => scenarios.Count == 0 || scenarios.Contains(first is { } code ? ((int)code).ToString(CultureInfo.InvariantCulture) : "200")).ToList();
        if (selected.Count == 0)
        {
            throw new ArgumentException($"The scenarios are '{string.Join(' ', scenarios)}'; each must be 200, 503 or 429.", nameof(scenarios));
        }

        Console.WriteLine("| Scenario | Setup | p25 (ns) | median (ns) | p25 / standard | p25 / twin | allocated (B) | allocated / standard |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var first in selected)
        {
            await RunScenarioAsync(first);
        }
    }

    private static async Task RunScenarioAsync(HttpStatusCode? first)
    {
        HttpStatusCode[] script = first is { } status ? [status, HttpStatusCode.OK] : [HttpStatusCode.OK];
        using var clients = new BenchmarkClients(script, first is null ? TwinSettings.FailureRatio : 1);
        var names = new List<string> { BenchmarkClients.Standard };
        foreach (var preset in BenchmarkClients.Presets)
        {
            names.Add(BenchmarkClients.Twin(preset));
            names.Add(BenchmarkClients.Preset(preset));
        }

        names.Add(BenchmarkClients.WithoutClientTimeout);

        var setups = names.Select(name => (Name: name, Client: clients.Create(name), Times: new List<double>(), Bytes: new List<double>())).ToList();
        for (var warmup = 0; warmup < RequestsPerRound; warmup++)
        {
            foreach (var setup in setups)
            {
                await BenchmarkClients.SendAsync(setup.Client);
            }
        }

        for (var round = 0; round < Rounds; round++)
        {
            foreach (var setup in setups)
            {
                var allocated = GC.GetTotalAllocatedBytes(precise: false);
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < RequestsPerRound; i++)
                {
                    await BenchmarkClients.SendAsync(setup.Client);
                }

                setup.Times.Add(watch.Elapsed.TotalNanoseconds / RequestsPerRound);
                setup.Bytes.Add((GC.GetTotalAllocatedBytes(precise: false) - allocated) / (double)RequestsPerRound);
            }
        }

        var p25 = setups.ToDictionary(s => s.Name, s => Percentile(s.Times, 0.25));
        var bytes = setups.ToDictionary(s => s.Name, s => Percentile(s.Bytes, 0.5));
        var scenario = first is { } code ? $"{(int)code} then 200" : "200";
        foreach (var (name, _, times, _) in setups)
        {
            var twin = BenchmarkClients.Presets.FirstOrDefault(p => name == BenchmarkClients.Preset(p)) is { } preset
                ? (p25[name] / p25[BenchmarkClients.Twin(preset)]).ToString("0.00", CultureInfo.InvariantCulture)
                : string.Empty;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {scenario} | {name} | {p25[name]:0} | {Percentile(times, 0.5):0} | {p25[name] / p25[BenchmarkClients.Standard]:0.00} | {twin} | {bytes[name]:0} | {bytes[name] / bytes[BenchmarkClients.Standard]:0.00} |"));
        }
    }

    private static double Percentile(List<double> values, double share) => values.Order().ElementAt((int)(values.Count * share));
}
