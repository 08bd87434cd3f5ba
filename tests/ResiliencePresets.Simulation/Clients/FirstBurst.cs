namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// The first burst of a run: the refused attempts sent before the first refusal came back. A client that costs nothing
/// before the first rate signal cannot save them (nothing it could learn from had arrived yet), so the targets on waste
/// are judged on the attempts after them (docs/performance.md, "How the targets are judged").
/// </summary>
public static class FirstBurst
{
    /// <summary>Counts the refused attempts sent before the earliest answer that refused one.</summary>
    /// <param name="attempts">Every attempt: when it was sent, when its answer came (one clock for all), whether it was refused.</param>
    public static int Count(IEnumerable<(TimeSpan Sent, TimeSpan At, bool Refused)> attempts)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var refused = attempts.Where(a => a.Refused).ToList();
        if (refused.Count == 0)
        {
            return 0;
        }

        var firstSignal = refused.Min(a => a.At);
        return refused.Count(a => a.Sent < firstSignal);
    }

    /// <summary>Counts the first burst of one client's <see cref="WireLog"/>.</summary>
    public static int Count(IEnumerable<WireAttempt> attempts) => Count(attempts.Select(a => (a.Sent, a.At, !a.Succeeded)));
}
