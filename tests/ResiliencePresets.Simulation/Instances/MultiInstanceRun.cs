using ResiliencePresets.Simulation.Limiters;
using ResiliencePresets.Simulation.Report;
using ResiliencePresets.Simulation.Scenarios;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// Runs the multi-instance scenario: every setup against the simulation's token bucket and against nginx
/// <c>limit_req</c>, one run at a time (completion is what it measures, and each run loads the machine with its
/// processes); prints the tables and writes their block of docs/performance.md.
/// </summary>
public static class MultiInstanceRun
{
    public const string InProcess = "the simulation's token bucket (burst 100), 429 with Retry-After rounded up";

    public static async Task<int> RunAsync(bool quick, bool writeDocument, bool trace = false)
    {
        var settings = quick
            ? new MultiInstanceSettings { Requests = 400, RedisKilledAt = TimeSpan.FromSeconds(1.5), RedisDownFor = TimeSpan.FromSeconds(1), Trace = trace }
            : new MultiInstanceSettings { Trace = trace };
        var results = await RunAllAsync(settings, quick);
        var markdown = MultiInstanceReport.Write(settings, results.Results, MachineInfo.Current(), results.LoadBefore, results.LoadAfter, quick);
        PerformanceDocument.Publish(markdown, writeDocument, MultiInstanceReport.Heading, MultiInstanceReport.Start, MultiInstanceReport.End);

        return 0;
    }

    /// <summary>Runs every server and setup; the load average is read before the first and after the last.</summary>
    public static async Task<(IReadOnlyList<MultiInstanceResult> Results, LoadAverage? LoadBefore, LoadAverage? LoadAfter)> RunAllAsync(MultiInstanceSettings settings, bool quick)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var setups = MultiInstanceSetup.All(settings);
        // nginx with burst=50 nodelay: without a burst, limit_req at 100 r/s refuses any request within 10 ms of the
        // last, which four processes on a shared machine cannot space finely enough even at a configured quarter each
        // (docs/performance.md gives the figures of the run that tried); each such run took minutes.
        IReadOnlyList<NginxVariant> variants = [NginxVariant.All(settings.Rate)[1]];
        await using var backend = await UnlimitedBackend.StartAsync();
        await using var nginx = await NginxProxy.StartAsync(LimiterServers.NginxLocations(variants, settings.Rate, setups.Count), backend.Port);
        IEnumerable<LimiterServer> servers = [InProcessBucket(settings.Rate), .. LimiterServers.OnNginx(nginx, variants, settings.Rate, setups.Count)];

        var loadBefore = LoadAverage.Current();
        var results = new List<MultiInstanceResult>();
        foreach (var server in servers)
        {
            for (var i = 0; i < setups.Count; i++)
            {
                Console.WriteLine($"instances: {server.Name}: {setups[i].Name}");
                var slot = await server.Start(i);
                try
                {
                    var result = await MultiInstanceScenario.RunAsync(server.Name, slot.BaseAddress, setups[i], settings);
                    MultiInstanceReport.WriteTimeline(Console.Out, result);
                    results.Add(result);
                }
                finally
                {
                    await slot.StopAsync();
                }
            }
        }

        return (results, loadBefore, LoadAverage.Current());
    }

    // The contention scenario's server: a token bucket of the rate holding one second's worth, 429 with Retry-After.
    private static LimiterServer InProcessBucket(int rate) => new(InProcess, LimiterServers.InProcess, rate, async _ =>
    {
        var api = await RateLimitedApi.StartAsync(rate, rate, quotaHeaders: false, retryAfter: true);
        return new LimiterSlot(api.BaseAddress, api.DisposeAsync);
    });
}
