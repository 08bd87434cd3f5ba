namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>How soon after a change of the server's limit a client's successes reached most of the new rate.</summary>
public static class RateRecovery
{
    public const double Share = 0.9;

    /// <summary>
    /// Returns the time from <paramref name="changeAt"/> to the end of the first one-second window, starting at or
    /// after it, that holds at least 90 % of <paramref name="newRate"/> successes; <see langword="null"/> when none does.
    /// </summary>
    /// <param name="successes">When each success arrived, in order.</param>
    public static TimeSpan? TimeToReach(IReadOnlyList<TimeSpan> successes, TimeSpan changeAt, double newRate)
    {
        ArgumentNullException.ThrowIfNull(successes);
        var window = TimeSpan.FromSeconds(1);
        var needed = (int)Math.Ceiling(Share * newRate * window.TotalSeconds);
        var after = successes.Where(t => t >= changeAt).ToList();

        // The earliest qualifying window can always be moved to start at a success inside it.
        for (int first = 0, last = 0; first < after.Count; first++)
        {
            while (last < after.Count && after[last] < after[first] + window)
            {
                last++;
            }

            if (last - first >= needed)
            {
                return after[first] + window - changeAt;
            }
        }

        return null;
    }
}
