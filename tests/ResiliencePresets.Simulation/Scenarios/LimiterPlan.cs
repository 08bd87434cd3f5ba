using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Limiters;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// Which limited servers a run measures, and how hard: the shape (20 workers, 200 requests, a limit of 20
/// requests a second: floor 10 s) against nginx and ASP.NET Core; the classic case of the backoff guides (10 workers
/// sharing a limit of 10 requests a second, 100 requests); and a limit that doubles (20 → 40) or halves (40 → 20)
/// after 5 s, with 10 s of requests at the new rate. <c>--quick</c> keeps one server of each kind with fewer requests.
/// </summary>
/// <param name="Quick">One server of each kind, fewer requests.</param>
/// <param name="Only">Runs only the servers whose name contains this (<c>--limiter</c>); <see langword="null"/> for all.</param>
/// <param name="Trace">Prints the learned rate and the wire, quarter second by quarter second, of ReadOnlyApi's defaults.</param>
public sealed record LimiterPlan(bool Quick, string? Only = null, bool Trace = false)
{
    public const int Rate = 20;

    public LimiterSettings RealLimiters => new(Workers: 20, Requests: Quick ? 60 : 200);

    public IReadOnlyList<NginxVariant> NginxVariants => Quick ? [NginxVariant.All(Rate)[0]] : NginxVariant.All(Rate);

    public IReadOnlyList<AspNetCoreVariant> AspNetCoreVariants => Quick
        ? [new(AspNetCoreAlgorithm.TokenBucket, RetryAfterWriting.Truncated)]
        : AspNetCoreVariant.All;

    /// <summary>Gets the in-process servers, each with its workload.</summary>
    public IReadOnlyList<(LimiterServer Server, LimiterSettings Settings)> InProcess
    {
        get
        {
            var at = TimeSpan.FromSeconds(Quick ? 2 : 5);
            var after = Quick ? 4 : 10;
            var classic = (LimiterServers.InProcessBucket("classic: 10 workers share a limit of 10 requests/s", 10), new LimiterSettings(10, Quick ? 30 : 100));
            var doubling = (LimiterServers.InProcessBucket($"limit doubles 20 → 40 requests/s after {at.TotalSeconds:0} s", 20, new RateChange(at, 40)),
                new LimiterSettings(20, (int)((20 * at.TotalSeconds) + (40 * after))));
            var halving = (LimiterServers.InProcessBucket($"limit halves 40 → 20 requests/s after {at.TotalSeconds:0} s", 40, new RateChange(at, 20)),
                new LimiterSettings(20, (int)((40 * at.TotalSeconds) + (20 * after))));
            return [classic, doubling, halving];
        }
    }

    /// <summary>
    /// Runs every server of the plan, every setup of a server side by side (a limit each). The servers of one kind run
    /// at the same time too, and <c>--quick</c> runs all of them at once: the hand-written loops' backoff makes some runs
    /// take several times the floor, and no run's load (a limit of tens of requests a second) slows the others.
    /// </summary>
    public async Task<IReadOnlyList<LimiterResult>> RunAsync(PresetCounters counters)
    {
        var setups = ContentionSetups.All(Rate).Count;
        bool Chosen(string name) => Only is null || Only.Split('|').Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase));
        await using var backend = await UnlimitedBackend.StartAsync();
        await using var nginx = await NginxProxy.StartAsync(LimiterServers.NginxLocations(NginxVariants, Rate, setups), backend.Port);
        var nginxRuns = LimiterServers.OnNginx(nginx, NginxVariants, Rate, setups).Select(s => (s, RealLimiters)).Where(r => Chosen(r.s.Name));
        var aspNetCoreRuns = AspNetCoreVariants.Select(v => (LimiterServers.OnAspNetCore(v, Rate), RealLimiters)).Where(r => Chosen(r.Item1.Name));
        var inProcessRuns = InProcess.Where(r => Chosen(r.Server.Name));
        IEnumerable<(LimiterServer, LimiterSettings)>[] batches = Quick || Only is not null
            ? [nginxRuns.Concat(aspNetCoreRuns).Concat(inProcessRuns)]
            : [nginxRuns, aspNetCoreRuns, inProcessRuns];

        var results = new List<LimiterResult>();
        foreach (var batch in batches)
        {
            foreach (var runs in await Task.WhenAll(batch.Select(run => RunAsync(run.Item1, run.Item2, counters, Trace))))
            {
                results.AddRange(runs);
            }
        }

        return results;
    }

    private static async Task<IReadOnlyList<LimiterResult>> RunAsync(LimiterServer server, LimiterSettings settings, PresetCounters counters, bool trace)
    {
        Console.WriteLine($"limiter: {server.Name}");
        return await LimiterScenario.RunAsync(server, ContentionSetups.All(server.Rate), settings, counters, trace);
    }
}
