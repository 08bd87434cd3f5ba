using System.Diagnostics;
using System.Globalization;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// Sends through one shared-state scenario in a loop for a while, for a profiler
/// (<c>--profile-shared &lt;scenario&gt; &lt;redis|local|both&gt; &lt;seconds&gt;</c>, the scenario with dashes for
/// spaces: <c>quota-pace</c>), and prints each second's requests, Redis scripts per request and the spread of the
/// requests' times. <c>both</c> alternates the setup without Redis and the one with it, a second each, so that the
/// load of a busy machine falls on both alike.
/// </summary>
internal static class SharedProfileLoop
{
    public static async Task RunAsync(string scenario, string setup, int seconds)
    {
        var name = SharedStateClients.Scenarios.SingleOrDefault(s => s.Replace(' ', '-') == scenario)
            ?? throw new ArgumentException($"The scenario is '{scenario}'; it must be one of {string.Join(", ", SharedStateClients.Scenarios.Select(s => s.Replace(' ', '-')))}.", nameof(scenario));
        bool[] shared = setup switch
        {
            "redis" => [true],
            "local" => [false],
            "both" => [false, true],
            _ => throw new ArgumentException($"The setup is '{setup}'; it must be redis, local or both.", nameof(setup)),
        };
        await using var clients = await SharedStateClients.StartAsync();
        var setups = new List<(bool Shared, HttpClient Client)>();
        foreach (var withRedis in shared)
        {
            setups.Add((withRedis, await clients.CreateAsync(name, withRedis)));
        }

        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            foreach (var (withRedis, client) in setups)
            {
                await SecondAsync(clients, client, withRedis ? "redis" : "local");
            }
        }
    }

    private static async Task SecondAsync(SharedStateClients clients, HttpClient client, string label)
    {
        var (scripts, fallbacks) = (await clients.ScriptCallsAsync(), clients.Fallbacks);
        var times = new List<double>();
        var second = Stopwatch.StartNew();
        while (second.Elapsed.TotalSeconds < 1)
        {
            var started = Stopwatch.GetTimestamp();
            await SharedStateClients.SendAsync(client);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }

        times.Sort();
        var perRequest = (double)(await clients.ScriptCallsAsync() - scripts) / times.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {times.Count} requests, {perRequest:0.0000} scripts per request, {clients.Fallbacks - fallbacks} fallbacks; µs per request: median {times[times.Count / 2]:0}, p99 {times[times.Count * 99 / 100]:0}, max {times[^1]:0}; the slowest 1 % take {times.Skip(times.Count * 99 / 100).Sum() / times.Sum():0%} of the time"));
    }
}
