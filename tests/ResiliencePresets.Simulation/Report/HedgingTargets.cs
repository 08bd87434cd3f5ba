using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Simulation.Report;

/// <summary>The hedging targets: hedged after the observed p95, p99 at least 5× lower than unhedged, at most 5 % extra requests.</summary>
public static class HedgingTargets
{
    public const double MinP99Improvement = 5;
    public const double MaxExtraRequests = 0.05;

    public static IEnumerable<(string Target, string Measured, bool Met)> Check(IReadOnlyList<HedgingResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var plain = results.FirstOrDefault(r => r.Setup == HedgingSetups.None);
        var hedged = results.FirstOrDefault(r => r.Setup == HedgingSetups.Observed);
        if (plain is null || hedged is null)
        {
            yield break;
        }

        var improvement = plain.P99 / hedged.P99;
        yield return ($"Hedging after the observed p95: p99 ≥ {MinP99Improvement:0}× lower than without hedging", Format.Ratio(improvement), improvement >= MinP99Improvement);
        yield return ($"Hedging after the observed p95: extra requests ≤ {MaxExtraRequests:P0}", Format.Percent(hedged.ExtraShare), hedged.ExtraShare <= MaxExtraRequests);
    }
}
