namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>What one setup's measured requests took, and what reached the server for them.</summary>
/// <param name="Setup">The setup's name.</param>
/// <param name="Requests">Measured requests.</param>
/// <param name="Arrivals">Requests that reached the server while the measured requests ran, hedges included.</param>
/// <param name="Failures">Measured requests that did not end in 200.</param>
/// <param name="P50">Median latency, as the caller saw it.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
public sealed record HedgingResult(string Setup, int Requests, int Arrivals, int Failures, TimeSpan P50, TimeSpan P99, TimeSpan P999)
{
    public double ExtraShare => ((double)Arrivals / Requests) - 1;
}
