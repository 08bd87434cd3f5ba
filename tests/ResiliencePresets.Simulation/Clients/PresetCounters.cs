using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// Sums the library's counters (the <c>ResiliencePresets</c> meter) per client, to show why a setup behaved as it did:
/// retries, retries the budget refused, pauses of the whole client, attempts that waited for the client's rate limit.
/// </summary>
public sealed class PresetCounters : IDisposable
{
    public const string Retries = "resiliencepresets.retries";
    public const string BudgetRefusals = "resiliencepresets.retry_budget.refusals";
    public const string Pauses = "resiliencepresets.client.pauses";
    public const string Throttled = "resiliencepresets.rate_limiter.throttled";

    private const string MeterName = "ResiliencePresets";
    private const string ClientTag = "resiliencepresets.client";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Client, string Instrument), long> _totals = new();

    public PresetCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument is Counter<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: ClientTag, Value: string client })
                {
                    _totals.AddOrUpdate((client, instrument.Name), value, (_, total) => total + value);
                    return;
                }
            }
        });
        _listener.Start();
    }

    public long Get(string client, string instrument) => _totals.TryGetValue((client, instrument), out var total) ? total : 0;

    public void Dispose() => _listener.Dispose();
}
