using System.Collections.Concurrent;
using System.Diagnostics;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// Every attempt one client sent, as it went over the wire: when it was sent and when its answer came (both from the
/// start of the run) and its status, or <see langword="null"/> when it ended with an exception. Filled by
/// <see cref="WireCounter"/>.
/// </summary>
public sealed class WireLog
{
    private readonly ConcurrentQueue<WireAttempt> _attempts = new();
    private long _start = Stopwatch.GetTimestamp();

    /// <summary>Gets the attempts in the order their answers came.</summary>
    public IReadOnlyList<WireAttempt> Attempts => [.. _attempts.OrderBy(a => a.At)];

    /// <summary>Gets the time since the run's clock started.</summary>
    public TimeSpan Now => Stopwatch.GetElapsedTime(Volatile.Read(ref _start));

    /// <summary>Starts the run's clock: attempts are timed from here.</summary>
    public void Start() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    public void Record(TimeSpan sent, int? status) => _attempts.Enqueue(new WireAttempt(sent, Now, status));
}

/// <summary>One attempt on the wire: sent and answered, from the start of the run, and its status (none: an exception).</summary>
public readonly record struct WireAttempt(TimeSpan Sent, TimeSpan At, int? Status)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
