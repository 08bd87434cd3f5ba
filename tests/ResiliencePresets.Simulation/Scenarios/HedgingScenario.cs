using System.Diagnostics;
using System.Net;
using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// Sends an even load of <c>GET /items/{n}</c> through one client to <see cref="TailLatencyApi"/> and measures each
/// request's latency as its caller sees it, and what reached the server.
/// </summary>
public static class HedgingScenario
{
    public static async Task<HedgingResult> RunAsync(ClientSetup setup, HedgingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(settings);

        await using var api = await TailLatencyApi.StartAsync();
        using var host = ClientHost.Create($"hedging-{Guid.NewGuid():N}", setup, api.BaseAddress);
        var client = host.Client();
        var interval = TimeSpan.FromSeconds(1 / settings.Rate);

        await Offer(client, settings.WarmUp, interval, latencies: null);
        api.ResetArrivals();
        var latencies = new TimeSpan[settings.Requests];
        var failures = await Offer(client, settings.Requests, interval, latencies);
        var arrivals = api.Arrivals;

        Array.Sort(latencies);
        return new HedgingResult(setup.Name, settings.Requests, arrivals, failures, Rank(latencies, 50), Rank(latencies, 99), Rank(latencies, 99.9));
    }

    // Nearest rank.
    private static TimeSpan Rank(TimeSpan[] sorted, double percentile) => sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<int> Offer(HttpClient client, int count, TimeSpan interval, TimeSpan[]? latencies)
    {
        var failures = 0;
        var sends = new List<Task>(count);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < count; n++)
        {
            var wait = (interval * n) - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var index = n;
            sends.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(new Uri($"/items/{index}", UriKind.Relative));
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
#pragma warning disable CA1031 // A caller's failure is counted, whatever it is.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref failures);
                }

                if (latencies is not null)
                {
                    latencies[index] = Stopwatch.GetElapsedTime(started);
                }
            }));
        }

        await Task.WhenAll(sends);
        return failures;
    }
}
