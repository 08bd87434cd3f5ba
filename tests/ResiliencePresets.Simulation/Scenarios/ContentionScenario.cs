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
        var failures = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, settings.Workers).Select(async _ =>
        {
            await Task.Yield();
            int n;
            while ((n = Interlocked.Increment(ref next)) <= settings.Requests)
            {
                if (await FailureAsync(client, n) is string failure)
                {
                    failures.AddOrUpdate(failure, 1, (_, count) => count + 1);
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
        return new ContentionResult(setup.Name, quotaHeaders, settings.Requests, api.Attempts, api.Rejected, api.RejectionBursts, failures.Values.Sum(), failures.ToDictionary(), elapsed, settings.Floor, library);
    }

    // Returns what the caller got when it was not a success: the status code, or the exception's type.
    private static async Task<string?> FailureAsync(HttpClient client, int n)
    {
        try
        {
            using var response = await client.GetAsync(new Uri($"{RateLimitedApi.ItemsPath}/{n}", UriKind.Relative));
            return response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
#pragma warning disable CA1031 // Whatever the setup throws (rejection, broken circuit, timeout) is a failure returned to the caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e.GetType().Name;
        }
    }
}
