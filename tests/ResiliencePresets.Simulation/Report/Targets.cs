using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Simulation.Report;

/// <summary>The targets the simulation reports against, each checked from the measured results.</summary>
public static class Targets
{
    public const double ConfiguredRateMaxWasted = 0.02;
    public const double ConfiguredRateMaxCompletion = 1.10;
    public const double DefaultsMaxWasted = 0.02;
    public const double LimiterMaxWasted = 0.03;
    public const double LimiterMaxCompletion = 1.10;
    public static readonly TimeSpan MaxRecovery = TimeSpan.FromSeconds(10);

    /// <summary>The reading the project decided for the waste and completion targets (docs/performance.md, "How the
    /// targets are judged"): the first burst is left out of the waste, and completion is set against the setup that knows
    /// the server's rate.</summary>
    public const string Judged = "as judged";
    public const double BudgetMaxAmplification = 1.2;
    public const double PushbackDefaultsMaxAmplification = 1.0;

    public static IEnumerable<(string Target, string Measured, bool Met)> Check(SimulationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var r in report.ContentionResults.Where(r => r.Setup == ContentionSetups.ReadOnlyRate))
        {
            yield return ($"{Headers(r)}: configured rate, wasted ≤ {ConfiguredRateMaxWasted:P0}", Format.Percent(r.WastedShare), r.WastedShare <= ConfiguredRateMaxWasted);
            yield return ($"{Headers(r)}: configured rate, completion ≤ {ConfiguredRateMaxCompletion:F2}× floor", Format.Ratio(r.CompletionRatio), r.CompletionRatio <= ConfiguredRateMaxCompletion);
        }

        foreach (var r in report.ContentionResults.Where(r => r.Setup == ContentionSetups.ReadOnlyDefaults))
        {
            yield return ($"{Headers(r)}: ReadOnlyApi defaults, wasted ≤ {DefaultsMaxWasted:P0}", Format.Percent(r.WastedShare), r.WastedShare <= DefaultsMaxWasted);
            yield return ($"{Headers(r)}: ReadOnlyApi defaults, {Judged}: wasted after the first 429 came back ≤ {DefaultsMaxWasted:P0}",
                Format.Percent(r.WastedAfterSignalShare), r.WastedAfterSignalShare <= DefaultsMaxWasted);
        }

        foreach (var r in report.LimiterResults.Where(r => r.Setup == ContentionSetups.ReadOnlyDefaults))
        {
            var met = r.WastedShare <= LimiterMaxWasted && r.CompletionRatio <= LimiterMaxCompletion && r.Failures == 0;
            yield return ($"{r.Server}: ReadOnlyApi defaults, wasted ≤ {LimiterMaxWasted:P0}, completion ≤ {LimiterMaxCompletion:F2}× floor, 0 failed",
                $"{Format.Percent(r.WastedShare)} ({Format.Percent(r.WastedAfterSignalShare)} after the first refusal came back), {Format.Ratio(r.CompletionRatio)}, {Format.Count(r.Failures)}", met);
            if (report.LimiterResults.FirstOrDefault(i => i.Server == r.Server && i.Setup == ContentionSetups.ReadOnlyRate) is { } ideal)
            {
                var behindIdeal = r.Elapsed / ideal.Elapsed;
                var judged = r.WastedAfterSignalShare <= LimiterMaxWasted && behindIdeal <= LimiterMaxCompletion && r.Failures == 0;
                yield return ($"{r.Server}: ReadOnlyApi defaults, {Judged}: wasted after the first refusal came back ≤ {LimiterMaxWasted:P0}, completion ≤ {LimiterMaxCompletion:F2}× the server's rate configured, 0 failed",
                    $"{Format.Percent(r.WastedAfterSignalShare)}, {Format.Ratio(behindIdeal)} ({Format.Ratio(r.CompletionRatio)} against {Format.Ratio(ideal.CompletionRatio)}), {Format.Count(r.Failures)}", judged);
            }

            if (r.LimitChanged && r.Server.Contains("doubles", StringComparison.Ordinal))
            {
                yield return ($"{r.Server}: ReadOnlyApi defaults reach 90 % of the new rate within {MaxRecovery.TotalSeconds:0} s",
                    r.Recovery is { } t ? Format.Seconds(t) : "not reached", r.Recovery <= MaxRecovery);
            }
        }

        foreach (var r in report.AmplificationResults.Where(r => r.Setup == AmplificationSetups.Defaults))
        {
            yield return ($"Amplification: ReadOnlyApi defaults (budget on), load at C ≤ {BudgetMaxAmplification:F1}× A", Format.Ratio(r.AtC), r.AtC <= BudgetMaxAmplification);
        }

        foreach (var r in report.AmplificationResults.Where(r => r.Setup == AmplificationSetups.NoBreaker))
        {
            yield return ($"Amplification: budget alone (breaker off), load at C ≤ {BudgetMaxAmplification:F1}× A", Format.Ratio(r.AtC), r.AtC <= BudgetMaxAmplification);
        }

        foreach (var r in report.AmplificationResults.Where(r => r.Setup == AmplificationSetups.NoBreakerPushback))
        {
            yield return ($"Amplification: breaker off, pushback on, load at C ≤ {BudgetMaxAmplification:F1}× A", Format.Ratio(r.AtC), r.AtC <= BudgetMaxAmplification);
        }

        foreach (var r in report.AmplificationResults.Where(r => r.Setup == AmplificationSetups.DefaultsPushback))
        {
            yield return ($"Amplification: defaults, pushback on, load at C ≤ {PushbackDefaultsMaxAmplification:F1}× A", Format.Ratio(r.AtC), r.AtC <= PushbackDefaultsMaxAmplification);
        }

        foreach (var check in HedgingTargets.Check(report.Hedging))
        {
            yield return check;
        }
    }

    private static string Headers(ContentionResult r) => r.QuotaHeaders ? "Contention with quota headers" : "Contention";
}
