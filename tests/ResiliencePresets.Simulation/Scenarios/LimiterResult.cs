namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// What one setup did against one limited server, in the shape of the table: requests, floor, completion,
/// wasted calls, failures to callers and, among them, the circuit breaker's rejections.
/// </summary>
/// <param name="Server">The server's row name.</param>
/// <param name="Family">The server's table.</param>
/// <param name="Setup">The client setup.</param>
/// <param name="Workers">Closed-loop workers sharing the client.</param>
/// <param name="Requests">Requests the callers made.</param>
/// <param name="Calls">Attempts that went over the wire, counted below every handler.</param>
/// <param name="Wasted">Attempts that were refused (any answer but a 2xx: the API behind the limiter never fails).</param>
/// <param name="WastedBeforeSignal">Of those, the attempts sent before the first refusal came back: the first burst,
/// which a client that knows nothing of the limit cannot save.</param>
/// <param name="FailureCauses">What the callers got when they failed: a status code or an exception's type.</param>
/// <param name="Elapsed">From the first request to the last answer.</param>
/// <param name="Floor">The requests at the server's rate.</param>
/// <param name="LimitChanged">Whether the server's limit changed during the run.</param>
/// <param name="Recovery">After a change of the limit: how long until the client sustained 90 % of the new rate.</param>
/// <param name="WastedAfterChange">After a change of the limit: the attempts refused.</param>
/// <param name="Library">The library's own counters for the client; zero for other setups.</param>
public sealed record LimiterResult(
    string Server,
    string Family,
    string Setup,
    int Workers,
    int Requests,
    int Calls,
    int Wasted,
    int WastedBeforeSignal,
    IReadOnlyDictionary<string, int> FailureCauses,
    TimeSpan Elapsed,
    TimeSpan Floor,
    bool LimitChanged,
    TimeSpan? Recovery,
    int WastedAfterChange,
    LibraryCounts Library)
{
    /// <summary>The exception types of a circuit breaker's rejections: the request was never sent.</summary>
    public static readonly IReadOnlySet<string> BreakerRejectionTypes = new HashSet<string>(StringComparer.Ordinal) { "BrokenCircuitException", "IsolatedCircuitException" };

    public int Failures => FailureCauses.Values.Sum();

    public int BreakerRejections => FailureCauses.Where(c => BreakerRejectionTypes.Contains(c.Key)).Sum(c => c.Value);

    public double WastedShare => (double)Wasted / Requests;

    /// <summary>Gets the attempts refused after the first refusal came back, as a share of the requests.</summary>
    public double WastedAfterSignalShare => (double)(Wasted - WastedBeforeSignal) / Requests;

    public double FailedShare => (double)Failures / Requests;

    public double CompletionRatio => Elapsed / Floor;
}
