using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Simulation.Clients;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// Every setup against one kind of limited server, side by side: each setup gets its own limit (its own slot), its
/// own service provider and its own closed-loop workers, and the setups run at the same time. The load is light
/// (tens of requests a second per setup), so they do not slow each other down; each setup's attempts are counted
/// below its handlers by a <see cref="WireCounter"/>.
/// </summary>
public static class LimiterScenario
{
    public static async Task<IReadOnlyList<LimiterResult>> RunAsync(LimiterServer server, IReadOnlyList<ClientSetup> setups, LimiterSettings settings, PresetCounters counters, bool trace = false)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(setups);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(counters);
        return await Task.WhenAll(setups.Select((setup, i) => RunOneAsync(server, i, setup, settings, counters, trace)));
    }

    private static async Task<LimiterResult> RunOneAsync(LimiterServer server, int index, ClientSetup setup, LimiterSettings settings, PresetCounters counters, bool trace)
    {
        var slot = await server.Start(index);
        try
        {
            var log = new WireLog();
            var clientName = $"limiter-{Guid.NewGuid():N}";
            var measured = setup.CountedIn(log);
            using var host = ClientHost.Create(clientName, measured, slot.BaseAddress);
            var client = host.Client();

            using var stop = new CancellationTokenSource();
            log.Start();
            await using var rates = trace && setup.Name is ContentionSetups.ReadOnlyDefaults or ContentionSetups.ReadOnlyRate ? new RateTrace(clientName, log) : null;
            var change = ChangeLaterAsync(server.Change, slot, stop.Token);
            var (failures, elapsed) = await ClosedLoopWorkload.RunAsync(client, settings.Workers, settings.Requests);
            await stop.CancelAsync();
            await change;

            var attempts = log.Attempts;
            var refused = attempts.Where(a => !a.Succeeded).ToList();
            var recovery = server.Change is { } c
                ? RateRecovery.TimeToReach([.. attempts.Where(a => a.Succeeded).Select(a => a.At)], c.At, c.NewRate)
                : null;

            // Refused before any refusal could reach the client: the first burst, which no client can save.
            var firstSignal = refused.Count == 0 ? TimeSpan.MaxValue : refused.Min(a => a.At);
            var beforeSignal = FirstBurst.Count(attempts);
            if (rates is not null)
            {
                Console.WriteLine($"trace: {server.Name}, {setup.Name}: {refused.Count} refused ({beforeSignal} sent before the first refusal came back at {firstSignal.TotalMilliseconds:0} ms), {elapsed.TotalSeconds:0.00} s");
                Console.Write(rates.Write(attempts));
            }
            var library = new LibraryCounts(
                counters.Get(clientName, PresetCounters.Retries),
                counters.Get(clientName, PresetCounters.BudgetRefusals),
                counters.Get(clientName, PresetCounters.Pauses),
                counters.Get(clientName, PresetCounters.Throttled));
            return new LimiterResult(
                server.Name,
                server.Family,
                setup.Name,
                settings.Workers,
                settings.Requests,
                attempts.Count,
                refused.Count,
                beforeSignal,
                failures,
                elapsed,
                settings.Floor(server.Rate, server.Change),
                server.Change is not null,
                recovery,
                server.Change is { } at ? refused.Count(a => a.At >= at.At) : 0,
                library);
        }
        finally
        {
            await slot.StopAsync();
        }
    }

    private static async Task ChangeLaterAsync(RateChange? change, LimiterSlot slot, CancellationToken stop)
    {
        if (change is null || slot.ChangeRate is not { } apply)
        {
            return;
        }

        try
        {
            await Task.Delay(change.At, stop);
            apply(change.NewRate);
        }
        catch (OperationCanceledException)
        {
            // The run ended before the change: nothing to apply.
        }
    }
}
