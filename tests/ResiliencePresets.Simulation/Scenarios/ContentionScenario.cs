using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// Many workers share one client and one rate-limited server: each worker takes the next request number and sends
/// <c>GET /items/{n}</c> until all are sent. Each run gets a fresh server (its bucket full) and a fresh client.
/// </summary>
public static class ContentionScenario
{
    public static async Task<ContentionResult> RunAsync(ClientSetup setup, bool quotaHeaders, ContentionSettings settings, PresetCounters counters)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(counters);

        await using var api = await RateLimitedApi.StartAsync(settings.ServerRate, settings.ServerBurst, quotaHeaders);
        var clientName = $"contention-{Guid.NewGuid():N}";
        var log = new WireLog();
        var measured = setup.CountedIn(log);
        using var host = ClientHost.Create(clientName, measured, api.BaseAddress);
        var client = host.Client();

        log.Start();
        var (failures, elapsed) = await ClosedLoopWorkload.RunAsync(client, settings.Workers, settings.Requests, RateLimitedApi.ItemsPath);

        var library = new LibraryCounts(
            counters.Get(clientName, PresetCounters.Retries),
            counters.Get(clientName, PresetCounters.BudgetRefusals),
            counters.Get(clientName, PresetCounters.Pauses),
            counters.Get(clientName, PresetCounters.Throttled));
        return new ContentionResult(setup.Name, quotaHeaders, settings.Requests, api.Attempts, api.Rejected, FirstBurst.Count(log.Attempts), api.RejectionBursts, failures.Values.Sum(), failures, elapsed, settings.Floor, library);
    }
}
