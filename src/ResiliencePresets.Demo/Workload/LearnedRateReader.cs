using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// Reads the rate each preset client paces its attempts at, from the library's own gauge
/// (<c>resiliencepresets.client.learned_rate</c>, tagged with the client's name): only clients that throttle report.
/// A library without the gauge reports nothing.
/// </summary>
internal sealed class LearnedRateReader : IDisposable
{
    private const string MeterName = "ResiliencePresets";
    private const string Gauge = "resiliencepresets.client.learned_rate";
    private const string ClientTag = "resiliencepresets.client";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _rates = new(StringComparer.Ordinal);

    public LearnedRateReader()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == Gauge)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: ClientTag, Value: string client })
                {
                    _rates[client] = value;
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Returns each throttling client's rate now, in requests a second.</summary>
    public IReadOnlyDictionary<string, double> Read()
    {
        _rates.Clear();
        _listener.RecordObservableInstruments();
        return new Dictionary<string, double>(_rates, StringComparer.Ordinal);
    }

    public void Dispose() => _listener.Dispose();
}
