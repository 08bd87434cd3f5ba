namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>What one client setup did against the rate-limited server.</summary>
/// <param name="Setup">The setup's name.</param>
/// <param name="QuotaHeaders">Whether the server sent remaining-quota headers.</param>
/// <param name="Requests">Logical requests the workers made.</param>
/// <param name="Calls">Requests that reached the server, retries included.</param>
/// <param name="Wasted">Calls the server answered 429.</param>
/// <param name="WastedBeforeSignal">Of those, the calls sent before the first 429 came back (<see cref="Clients.FirstBurst"/>).</param>
/// <param name="WastedBursts">Runs of 429s (separated by a quarter second without one).</param>
/// <param name="Failures">Requests whose caller got an error status or an exception.</param>
/// <param name="FailureCauses">The failures by what the caller got: a status code or an exception's type.</param>
/// <param name="Elapsed">From the first request to the last answer.</param>
/// <param name="Floor">Requests ÷ the server's rate.</param>
/// <param name="Library">The library's own counters for the client; zero for other setups.</param>
public sealed record ContentionResult(
    string Setup,
    bool QuotaHeaders,
    int Requests,
    int Calls,
    int Wasted,
    int WastedBeforeSignal,
    int WastedBursts,
    int Failures,
    IReadOnlyDictionary<string, int> FailureCauses,
    TimeSpan Elapsed,
    TimeSpan Floor,
    LibraryCounts Library)
{
    public double WastedShare => (double)Wasted / Requests;

    /// <summary>Gets the calls refused after the first 429 came back, as a share of the requests.</summary>
    public double WastedAfterSignalShare => (double)(Wasted - WastedBeforeSignal) / Requests;

    public double CompletionRatio => Elapsed / Floor;
}
