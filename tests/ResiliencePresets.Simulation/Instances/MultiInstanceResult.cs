namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// What all instances of one setup did against one limited server: the calls that reached it, the refusals among
/// them, what the callers got, how long the slowest instance took, and the Redis package's counters; every time is
/// from the moment the instances were told to go.
/// </summary>
/// <param name="Server">The server's row name.</param>
/// <param name="Setup">The setup's row name.</param>
/// <param name="Settings">The workload.</param>
/// <param name="Attempts">Every attempt of every instance, in the order their answers came: when, when it was sent, and the status (0 for an exception).</param>
/// <param name="FailureCauses">What the callers got when they failed, over all instances.</param>
/// <param name="Completions">When each instance had its last answer.</param>
/// <param name="Outage">When Redis was killed and when it answered again, in the run that loses it.</param>
/// <param name="Retries">The library's retries, over all instances.</param>
/// <param name="Pauses">Pauses started or lengthened, over all instances.</param>
/// <param name="Throttled">Attempts that waited for a permit, over all instances.</param>
/// <param name="RoundTrips">Scripts run on Redis, over all instances.</param>
/// <param name="Fallbacks">Redis operations that went on with local state instead, by <c>operation/reason</c>, over all instances.</param>
/// <param name="LearnedRates">With <c>--trace</c>, each instance's learned rate every <see cref="LearnedRateSampler.Interval"/>; empty lists otherwise.</param>
public sealed record MultiInstanceResult(
    string Server,
    string Setup,
    MultiInstanceSettings Settings,
    IReadOnlyList<(TimeSpan At, TimeSpan Sent, int Status)> Attempts,
    IReadOnlyDictionary<string, int> FailureCauses,
    IReadOnlyList<TimeSpan> Completions,
    (TimeSpan Killed, TimeSpan Back)? Outage,
    long Retries,
    long Pauses,
    long Throttled,
    long RoundTrips,
    IReadOnlyDictionary<string, long> Fallbacks,
    IReadOnlyList<IReadOnlyList<double?>> LearnedRates)
{
    public int Calls => Attempts.Count;

    /// <summary>Gets the attempts refused (any answer but a 2xx: the API behind the limiter never fails).</summary>
    public int Wasted => Attempts.Count(a => !Succeeded(a.Status));

    public int Failures => FailureCauses.Values.Sum();

    /// <summary>Gets when the slowest instance had its last answer.</summary>
    public TimeSpan Elapsed => Completions.Max();

    public double WastedShare => (double)Wasted / Settings.Requests;

    /// <summary>Gets the refused attempts sent, by any instance, before the first refusal came back to any of them
    /// (<see cref="Clients.FirstBurst"/>).</summary>
    public int WastedBeforeSignal => Clients.FirstBurst.Count(Attempts.Select(a => (a.Sent, a.At, !Succeeded(a.Status))));

    /// <summary>Gets the refused attempts after the first burst, as a share of the requests.</summary>
    public double WastedAfterSignalShare => (double)(Wasted - WastedBeforeSignal) / Settings.Requests;

    public double CompletionRatio => Elapsed / Settings.Floor;

    /// <summary>Returns the refused attempts and the successes whose answers came in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public (int Wasted, int Succeeded) Between(TimeSpan from, TimeSpan to)
    {
        var window = Attempts.Where(a => a.At >= from && a.At < to).ToList();
        return (window.Count(a => !Succeeded(a.Status)), window.Count(a => Succeeded(a.Status)));
    }

    private static bool Succeeded(int status) => status is >= 200 and < 300;
}
