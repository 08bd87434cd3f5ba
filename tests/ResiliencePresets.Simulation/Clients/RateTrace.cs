using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// The learned rate and the pause of one client over a run, sampled every 50 ms from the library's own gauges
/// (<c>resiliencepresets.client.learned_rate</c>, <c>resiliencepresets.client.pause.remaining</c>), and printed beside
/// what went over the wire in each quarter second (<c>--trace</c>): where a run lost its time and its calls.
/// </summary>
public sealed class RateTrace : IAsyncDisposable
{
    private const string MeterName = "ResiliencePresets";
    private const string ClientTag = "resiliencepresets.client";
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(50);

    private readonly string _client;
    private readonly WireLog _log;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(TimeSpan At, double? Rate, double Pause)> _samples = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private double? _rate;
    private double _pause;

    public RateTrace(string client, WireLog log)
    {
        (_client, _log) = (client, log);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name is "resiliencepresets.client.learned_rate" or "resiliencepresets.client.pause.remaining")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: ClientTag, Value: string name } && name == _client)
                {
                    if (instrument.Name.EndsWith("learned_rate", StringComparison.Ordinal))
                    {
                        _rate = value;
                    }
                    else
                    {
                        _pause = value;
                    }
                }
            }
        });
        _listener.Start();
        _sampling = SampleAsync();
    }

    /// <summary>Returns a line per quarter second: sent, answered 2xx, refused, the learned rate and the pause at its end.</summary>
    public string Write(IReadOnlyList<WireAttempt> attempts)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"  {"t (s)",6} {"sent",5} {"ok",4} {"refused",7} {"rate",7} {"pause",6}");
        var samples = _samples.ToArray();
        var end = attempts.Count == 0 ? TimeSpan.Zero : attempts.Max(a => a.At);
        var step = TimeSpan.FromMilliseconds(250);
        for (var from = TimeSpan.Zero; from <= end; from += step)
        {
            var to = from + step;
            var sent = attempts.Count(a => a.Sent >= from && a.Sent < to);
            var ok = attempts.Count(a => a.Sent >= from && a.Sent < to && a.Succeeded);
            var last = samples.LastOrDefault(s => s.At < to);
            text.AppendLine(CultureInfo.InvariantCulture, $"  {to.TotalSeconds,6:0.00} {sent,5} {ok,4} {sent - ok,7} {(last.Rate is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "–"),7} {last.Pause,6:0.00}");
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                (_rate, _pause) = (null, 0);
                _listener.RecordObservableInstruments();
                _samples.Enqueue((_log.Now, _rate, _pause));
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
