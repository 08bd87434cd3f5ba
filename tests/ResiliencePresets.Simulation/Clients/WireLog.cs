using System.Collections.Concurrent;
using System.Diagnostics;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// Every attempt one client sent, as it went over the wire: when its answer came (from the start of the run) and its
/// status, or <see langword="null"/> when it ended with an exception. Filled by <see cref="WireCounter"/>.
/// </summary>
public sealed class WireLog
{
    private readonly ConcurrentQueue<(TimeSpan At, int? Status)> _attempts = new();
    private long _start = Stopwatch.GetTimestamp();

    /// <summary>Gets the attempts in the order their answers came.</summary>
    public IReadOnlyList<(TimeSpan At, int? Status)> Attempts => [.. _attempts.OrderBy(a => a.At)];

    /// <summary>Starts the run's clock: attempts are timed from here.</summary>
    public void Start() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    public void Record(int? status) => _attempts.Enqueue((Stopwatch.GetElapsedTime(Volatile.Read(ref _start)), status));
}
