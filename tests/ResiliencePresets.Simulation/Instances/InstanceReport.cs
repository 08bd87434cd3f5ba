namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// What one instance did, written by the instance as one line of JSON once its requests are done and read by the
/// simulation. Times are in milliseconds; <see cref="StartedAt"/> is on the machine's UTC clock, which every instance
/// shares, and each attempt's time is from there.
/// </summary>
/// <param name="StartedAt">When the instance started its requests, in milliseconds since the Unix epoch.</param>
/// <param name="Elapsed">From its first request to its last answer.</param>
/// <param name="AttemptAt">When each attempt's answer came, in order, counted below every handler.</param>
/// <param name="AttemptSentAt">When each of those attempts was sent, in the same order.</param>
/// <param name="AttemptStatus">Each attempt's status code; 0 when it ended with an exception.</param>
/// <param name="Failures">What the callers got when they failed: a status code or an exception's type.</param>
/// <param name="Retries">The library's retries.</param>
/// <param name="Pauses">Pauses of the client started or lengthened.</param>
/// <param name="Throttled">Attempts that waited for a permit.</param>
/// <param name="RoundTrips">Scripts run on Redis, by operation (<c>pause</c>, <c>sync</c>, <c>lease</c>).</param>
/// <param name="Fallbacks">Operations that went on with local state instead, by <c>operation/reason</c>.</param>
/// <param name="LearnedRate">With <c>--trace</c>, the learned rate every <see cref="LearnedRateSampler.Interval"/> from
/// the start (<see langword="null"/> while the client did not throttle); empty otherwise.</param>
public sealed record InstanceReport(
    double StartedAt,
    double Elapsed,
    IReadOnlyList<double> AttemptAt,
    IReadOnlyList<double> AttemptSentAt,
    IReadOnlyList<int> AttemptStatus,
    IReadOnlyDictionary<string, int> Failures,
    long Retries,
    long Pauses,
    long Throttled,
    IReadOnlyDictionary<string, long> RoundTrips,
    IReadOnlyDictionary<string, long> Fallbacks,
    IReadOnlyList<double?> LearnedRate)
{
    public const string Prefix = "report ";

    /// <summary>Gets the current time as <see cref="StartedAt"/> counts it.</summary>
    public static double Now() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
}
