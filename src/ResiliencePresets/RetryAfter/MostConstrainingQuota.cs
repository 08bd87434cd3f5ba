namespace ResiliencePresets;

/// <summary>
/// Which of the quotas one response reports decides the client's pause and pacing, when it reports several (requests
/// and tokens, a burst and a daily policy, two header families).
/// </summary>
/// <remarks>
/// <para>A spent quota wins over any quota with something left: nothing may be sent until it resets, whatever the others
/// allow. Of several spent quotas, the one that resets last wins, because the client may send again only when every
/// spent quota has reset.</para>
/// <para>Otherwise the quota that paces slowest wins: the longest reset per remaining request
/// (<c>ResetIn / Remaining</c>), because spreading the requests at that pace keeps within every other quota too. A
/// token quota with tokens left paces nothing and never wins this way: a request's cost in tokens is unknown, so its
/// remaining tokens do not say how many requests are left. Spent, it pauses like any spent quota. Of two quotas
/// equally tight, the one read first stays.</para>
/// </remarks>
internal static class MostConstrainingQuota
{
    /// <summary>Returns the tighter of the quota chosen so far and a candidate, by the rule above.</summary>
    public static QuotaReading? Tighter(QuotaReading? chosen, in QuotaReading candidate)
    {
        if (!candidate.IsSpent && candidate.CountsTokens)
        {
            return chosen;
        }

        if (chosen is not QuotaReading current)
        {
            return candidate;
        }

        if (current.IsSpent || candidate.IsSpent)
        {
            return candidate.IsSpent && (!current.IsSpent || candidate.ResetIn > current.ResetIn) ? candidate : current;
        }

        return Pace(candidate) > Pace(current) ? candidate : current;
    }

    private static double Pace(in QuotaReading quota) => (double)quota.ResetIn.Ticks / quota.Remaining;
}
