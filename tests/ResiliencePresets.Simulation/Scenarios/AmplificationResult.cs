namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>The load each tier received while C was failing, and what A's callers got.</summary>
/// <param name="Setup">The setup used at every tier.</param>
/// <param name="OfferedToA">Requests that reached A while C was failing.</param>
/// <param name="ReachedB">Requests that reached B while C was failing.</param>
/// <param name="ReachedC">Requests that reached C while it was failing.</param>
/// <param name="FailedAtA">Requests sent to A while C was failing that did not succeed.</param>
/// <param name="ToB">The library's counters for A's client (A → B).</param>
/// <param name="ToC">The library's counters for B's client (B → C).</param>
public sealed record AmplificationResult(string Setup, int OfferedToA, int ReachedB, int ReachedC, int FailedAtA, LibraryCounts ToB, LibraryCounts ToC)
{
    public double AtB => (double)ReachedB / OfferedToA;

    public double AtC => (double)ReachedC / OfferedToA;
}
