using System.Diagnostics.Metrics;

namespace ResiliencePresets.Redis;

/// <summary>
/// The Redis package's instruments, on the same <c>ResiliencePresets</c> meter as the core's: round trips to Redis and
/// fallbacks to local behavior, by operation (<c>pause</c>, <c>sync</c>, <c>lease</c>), and whether the connection is
/// degraded. No key, value or URL is a tag.
/// </summary>
internal sealed class SharedMetrics : IDisposable
{
    public const string OperationTag = "resiliencepresets.shared.operation";
    public const string ReasonTag = "resiliencepresets.reason";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _roundTrips;
    private readonly Counter<long> _fallbacks;
    private Func<bool>? _degraded;

    public SharedMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create("ResiliencePresets") ?? new Meter("ResiliencePresets");
        _roundTrips = _meter.CreateCounter<long>("resiliencepresets.shared.round_trips", "{call}", "Scripts run on Redis for shared client state, by operation.");
        _fallbacks = _meter.CreateCounter<long>("resiliencepresets.shared.fallbacks", "{call}",
            "Operations on shared client state that went on with local state instead, by operation and reason (timeout, error, disconnected, connecting).");
        _meter.CreateObservableGauge("resiliencepresets.shared.degraded", () => _degraded?.Invoke() == true ? 1 : 0, "{state}",
            "1 while Redis cannot be reached and clients run on local state, 0 otherwise.");
    }

    public void Watch(Func<bool> degraded) => _degraded = degraded;

    public void RoundTrip(string operation) => _roundTrips.Add(1, new KeyValuePair<string, object?>(OperationTag, operation));

    public void Fallback(string operation, string reason)
        => _fallbacks.Add(1, new KeyValuePair<string, object?>(OperationTag, operation), new KeyValuePair<string, object?>(ReasonTag, reason));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
