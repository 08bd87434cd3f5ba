using System.Diagnostics;
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
        using var host = ClientHost.Create(clientName, setup, api.BaseAddress);
        var client = host.Client();

        var next = 0;
        var failures = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, settings.Workers).Select(async _ =>
        {
            await Task.Yield();
            int n;
            while ((n = Interlocked.Increment(ref next)) <= settings.Requests)
            {
                if (!await SucceedsAsync(client, n))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;

        var library = new LibraryCounts(
            counters.Get(clientName, PresetCounters.Retries),
            counters.Get(clientName, PresetCounters.BudgetRefusals),
            counters.Get(clientName, PresetCounters.Pauses),
            counters.Get(clientName, PresetCounters.Throttled));
        return new ContentionResult(setup.Name, quotaHeaders, settings.Requests, api.Attempts, api.Rejected, api.RejectionBursts, failures, elapsed, settings.Floor, library);
    }

    private static async Task<bool> SucceedsAsync(HttpClient client, int n)
    {
        try
        {
            using var response = await client.GetAsync(new Uri($"{RateLimitedApi.ItemsPath}/{n}", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
#pragma warning disable CA1031 // Whatever the setup throws (rejection, broken circuit, timeout) is a failure returned to the caller.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
