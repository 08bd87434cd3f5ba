namespace ResiliencePresets;

/// <summary>
/// How old a kept response may be and still answer a failed request: the client's <c>Fallback:StaleIfError</c>, or
/// longer when the server granted more with <c>Cache-Control: stale-if-error=N</c> (RFC 5861: the response may be used
/// N seconds past its freshness lifetime), never more than <see cref="Longest"/>. A server cannot shorten the client's
/// own window: the client chose what age it accepts, and every stale answer says its age.
/// </summary>
internal static class StaleWindow
{
    /// <summary>The longest a server's grant is honored: the upper bound of <c>Fallback:StaleIfError</c>.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static TimeSpan MaxAge(TimeSpan configured, TimeSpan lifetime, TimeSpan? serverGrant)
    {
        if (serverGrant is not { } grant)
        {
            return configured;
        }

        var granted = lifetime + grant;
        return granted > configured ? (granted < Longest ? granted : Longest) : configured;
    }
}
