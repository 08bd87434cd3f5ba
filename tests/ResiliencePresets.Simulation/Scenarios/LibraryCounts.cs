namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>The library's counters for one client during one run.</summary>
public readonly record struct LibraryCounts(long Retries, long BudgetRefusals, long Pauses, long Throttled);
