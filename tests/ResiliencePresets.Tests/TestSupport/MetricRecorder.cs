using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// Records every measurement of the named meters, with its tags, for as long as it lives.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MetricRecorder(params string[] meterNames)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meterNames.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public ConcurrentQueue<Measurement> Measurements { get; } = new();

    /// <summary>The measurements of one instrument that carry the given client tag.</summary>
    public IReadOnlyList<Measurement> For(string instrument, string client)
        => Measurements.Where(m => m.Instrument == instrument && Equals(m.Tag("resiliencepresets.client"), client)).ToList();

    /// <summary>Takes one reading of every observable instrument (the gauges), as an exporter's collection would.</summary>
    public void RecordObservable() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        => Measurements.Enqueue(new Measurement(instrument.Meter.Name, instrument.Name, value, tags.ToArray()));

    public sealed record Measurement(string Meter, string Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string name) => Tags.FirstOrDefault(t => t.Key == name).Value;
    }
}
