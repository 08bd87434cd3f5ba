using System.Diagnostics;
using System.Net;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// Sends through one setup in a loop for a while, for a sampling profiler to attach to (see docs/performance.md):
/// <c>--profile &lt;setup&gt; &lt;200|503|429&gt; &lt;seconds&gt;</c>.
/// </summary>
internal static class ProfileLoop
{
    public static async Task RunAsync(string setup, string scenario, int seconds)
    {
        HttpStatusCode[] script = scenario switch
        {
            "200" => [HttpStatusCode.OK],
            "503" => [HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK],
            "429" => [HttpStatusCode.TooManyRequests, HttpStatusCode.OK],
            _ => throw new ArgumentException($"The scenario is '{scenario}'; it must be 200, 503 or 429.", nameof(scenario)),
        };

        using var clients = new BenchmarkClients(script, scenario == "200" ? TwinSettings.FailureRatio : 1);
        var client = clients.Create(setup);
        var watch = Stopwatch.StartNew();
        long requests = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            for (var i = 0; i < 1000; i++)
            {
                await BenchmarkClients.SendAsync(client);
            }

            requests += 1000;
        }

        Console.WriteLine($"{setup} {scenario}: {requests} requests, {watch.Elapsed.TotalNanoseconds / requests:0} ns each");
    }
}
