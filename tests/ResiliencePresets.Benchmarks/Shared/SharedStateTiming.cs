using System.Diagnostics;
using System.Globalization;
using ResiliencePresets.Redis;
using StackExchange.Redis;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// What sharing through Redis adds per request (<c>--shared</c>): every <see cref="SharedStateClients"/> scenario
/// without Redis and with it, in turn, in short rounds, so that outside load hits all setups alike; with each shared
/// setup's Redis scripts per request (counted by the redis-server) and the cost of one lease round trip alone (the
/// most an attempt waits on Redis, when a batch is one permit).
/// </summary>
internal static class SharedStateTiming
{
    private const int Rounds = 40;
    private const int RequestsPerRound = 2000;

    private static readonly RedisKey[] LeaseKeys = ["benchmark:{lease}:learned", "benchmark:{lease}:instances"];

    // ARGV as LeaseScript reads them: the rate, the size, permits wanted, the horizon (µs), the instance, the liveness
    // window (µs) and how long ago the rate was cut (µs).
    private static readonly RedisValue[] LeaseValues = [100_000, 1, 1, 1_000_000, "benchmark", 10_000_000, 0];

    public static async Task RunAsync()
    {
        await using var clients = await SharedStateClients.StartAsync();
        var setups = new List<(string Scenario, bool Shared, HttpClient Client, List<double> Times, long[] Scripts)>();
        foreach (var scenario in SharedStateClients.Scenarios)
        {
            foreach (var shared in (bool[])[false, true])
            {
                setups.Add((scenario, shared, await clients.CreateAsync(scenario, shared), [], [0]));
            }
        }

        var leaseTimes = new List<double>();
        for (var warmup = 0; warmup < RequestsPerRound; warmup++)
        {
            foreach (var setup in setups)
            {
                await SharedStateClients.SendAsync(setup.Client);
            }
        }

        var fallbacksBefore = clients.Fallbacks;
        var started = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var setup in setups)
            {
                var scripts = await clients.ScriptCallsAsync();
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < RequestsPerRound; i++)
                {
                    await SharedStateClients.SendAsync(setup.Client);
                }

                setup.Times.Add(watch.Elapsed.TotalNanoseconds / RequestsPerRound);
                setup.Scripts[0] += await clients.ScriptCallsAsync() - scripts;
            }

            leaseTimes.Add(await LeaseRoundTripAsync(clients.Database, RequestsPerRound / 10));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Rounds} rounds of {RequestsPerRound} requests per setup in {started.Elapsed.TotalSeconds:0.0} s; Redis fallbacks while measuring: {clients.Fallbacks - fallbacksBefore}"));
        Console.WriteLine("| Scenario | Redis | p25 (ns) | median (ns) | p25 added by Redis (ns) | scripts per request |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var (scenario, shared, _, times, scripts) in setups)
        {
            if (!clients.InState(scenario, shared))
            {
                throw new InvalidOperationException($"The {scenario} client ({(shared ? "Redis" : "local")}) left its state during the run.");
            }

            var local = Percentile(setups.Single(s => s.Scenario == scenario && !s.Shared).Times, 0.25);
            var p25 = Percentile(times, 0.25);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {scenario} | {(shared ? "yes" : "no")} | {p25:0} | {Percentile(times, 0.5):0} | {(shared ? (p25 - local).ToString("0", CultureInfo.InvariantCulture) : string.Empty)} | {(shared ? ((double)scripts[0] / (Rounds * RequestsPerRound)).ToString("0.0000", CultureInfo.InvariantCulture) : string.Empty)} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| one lease round trip (LeaseScript on loopback) | yes | {Percentile(leaseTimes, 0.25):0} | {Percentile(leaseTimes, 0.5):0} | | 1 |"));
    }

    /// <summary>Times <paramref name="count"/> leases of one permit from a bucket of its own, one after the other, and
    /// returns the time per lease in nanoseconds: the script and the round trip the shared state pays per batch.</summary>
    internal static async Task<double> LeaseRoundTripAsync(IDatabase database, int count)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await LeaseAsync(database);
        }

        return watch.Elapsed.TotalNanoseconds / count;
    }

    /// <summary>One lease of one permit at 100,000 a second from the benchmark's own learned bucket, as
    /// <c>SharedClient</c> sends it.</summary>
    internal static Task<RedisResult> LeaseAsync(IDatabase database)
        => database.ScriptEvaluateAsync(LeaseScript.Text, LeaseKeys, LeaseValues);

    private static double Percentile(List<double> values, double share) => values.Order().ElementAt((int)(values.Count * share));
}
