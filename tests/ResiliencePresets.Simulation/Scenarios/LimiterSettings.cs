namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>How hard a limiter scenario pushes: closed-loop workers sharing a fixed number of GET requests.</summary>
public sealed record LimiterSettings(int Workers, int Requests)
{
    /// <summary>Returns the shortest possible completion: the requests at the server's rate, following its change.</summary>
    public TimeSpan Floor(int rate, RateChange? change)
    {
        if (change is null || Requests <= rate * change.At.TotalSeconds)
        {
            return TimeSpan.FromSeconds((double)Requests / rate);
        }

        return change.At + TimeSpan.FromSeconds((Requests - (rate * change.At.TotalSeconds)) / change.NewRate);
    }
}
