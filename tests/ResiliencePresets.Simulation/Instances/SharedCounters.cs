using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// Sums the Redis package's counters in one instance: its round trips to Redis by operation, and its fallbacks to
/// local state by operation and reason (these instruments carry no client tag; an instance has one client).
/// </summary>
public sealed class SharedCounters : IDisposable
{
    private const string RoundTripsName = "resiliencepresets.shared.round_trips";
    private const string FallbacksName = "resiliencepresets.shared.fallbacks";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _roundTrips = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _fallbacks = new(StringComparer.Ordinal);

    public SharedCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ResiliencePresets" && instrument.Name is RoundTripsName or FallbacksName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            string? operation = null, reason = null;
            foreach (var tag in tags)
            {
                (operation, reason) = tag.Key switch
                {
                    "resiliencepresets.shared.operation" => (tag.Value as string, reason),
                    "resiliencepresets.reason" => (operation, tag.Value as string),
                    _ => (operation, reason),
                };
            }

            var (totals, key) = instrument.Name == RoundTripsName ? (_roundTrips, operation ?? "?") : (_fallbacks, $"{operation}/{reason}");
            totals.AddOrUpdate(key, value, (_, total) => total + value);
        });
        _listener.Start();
    }

    public IReadOnlyDictionary<string, long> RoundTrips => _roundTrips.ToDictionary(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Fallbacks => _fallbacks.ToDictionary(StringComparer.Ordinal);

    public void Dispose() => _listener.Dispose();
}
