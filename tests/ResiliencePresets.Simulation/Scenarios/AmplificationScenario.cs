using System.Diagnostics;
using System.Net;
using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// Offers A an even load through a plain client (no retries) while C goes through healthy, failing and healthy
/// stages, and counts what reaches each tier while C fails.
/// </summary>
public static class AmplificationScenario
{
    public static async Task<AmplificationResult> RunAsync(ClientSetup setup, AmplificationSettings settings, PresetCounters counters)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(counters);

        await using var chain = await TierChain.StartAsync(setup.Pushback);
        var id = Guid.NewGuid().ToString("N");
        var (toB, toC) = ($"tier-b-{id}", $"tier-c-{id}");
        using var host = ClientHost.Create([(toB, setup, chain.BaseAddress), (toC, setup, chain.BaseAddress)]);
        chain.Connect(() => host.Client(toB), () => host.Client(toC));

        using var caller = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = chain.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        var failedWhileFailing = 0;
        var sends = new List<Task>();
        var interval = TimeSpan.FromSeconds(1 / settings.OfferedRate);
        var stages = new[] { (Phase.WarmUp, settings.WarmUp), (Phase.Failing, settings.Failing), (Phase.Recovery, settings.Recovery) };
        var clock = Stopwatch.StartNew();
        var stageEnd = TimeSpan.Zero;
        var n = 0;
        foreach (var (phase, length) in stages)
        {
            chain.CurrentPhase = phase;
            stageEnd += length;
            for (TimeSpan due; (due = interval * n) < stageEnd; n++)
            {
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                sends.Add(SendAsync(caller, phase == Phase.Failing ? () => Interlocked.Increment(ref failedWhileFailing) : null));
            }
        }

        chain.CurrentPhase = Phase.Drain;
        await Task.WhenAll(sends);

        return new AmplificationResult(
            setup.Name,
            chain.Arrivals(0, Phase.Failing),
            chain.Arrivals(1, Phase.Failing),
            chain.Arrivals(2, Phase.Failing),
            failedWhileFailing,
            Counts(counters, toB),
            Counts(counters, toC));
    }

    private static LibraryCounts Counts(PresetCounters counters, string client) => new(
        counters.Get(client, PresetCounters.Retries),
        counters.Get(client, PresetCounters.BudgetRefusals),
        counters.Get(client, PresetCounters.Pauses),
        counters.Get(client, PresetCounters.Throttled));

    private static async Task SendAsync(HttpClient caller, Action? onFailure)
    {
        try
        {
            using var response = await caller.GetAsync(new Uri(TierChain.PathA, UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.OK)
            {
                onFailure?.Invoke();
            }
        }
#pragma warning disable CA1031 // A caller's failure is counted, whatever it is.
        catch (Exception)
#pragma warning restore CA1031
        {
            onFailure?.Invoke();
        }
    }
}
