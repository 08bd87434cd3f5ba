using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// Samples one instance's learned rate (the <c>resiliencepresets.client.learned_rate</c> gauge; an instance has one
/// client) every <see cref="Interval"/> from its start, for <c>--instances --trace</c>: where the processes' one rate
/// sat below the limit, and when the processes agreed on it.
/// </summary>
public sealed class LearnedRateSampler : IAsyncDisposable
{
    /// <summary>The time between two samples.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private const string GaugeName = "resiliencepresets.client.learned_rate";

    private readonly MeterListener _listener = new();
    private readonly List<double?> _samples = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private double? _reading;

    public LearnedRateSampler()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "ResiliencePresets" && instrument.Name == GaugeName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) => _reading = value);
        _listener.Start();
        _sampling = SampleAsync(_stop.Token);
    }

    /// <summary>Gets the rate at each sample, per second; <see langword="null"/> while the client did not throttle.</summary>
    public IReadOnlyList<double?> Samples
    {
        get
        {
            lock (_samples)
            {
                return [.. _samples];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _listener.Dispose();
        _stop.Dispose();
    }

    // Each sample is due at its own multiple of the interval from the start, so that late timers do not shift the rest.
    private async Task SampleAsync(CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        for (var n = 1; !token.IsCancellationRequested; n++)
        {
            var due = (Interval * n) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            _reading = null;
            _listener.RecordObservableInstruments();
            lock (_samples)
            {
                _samples.Add(_reading is { } rate ? Math.Round(rate, 1) : null);
            }
        }
    }
}
