namespace ResiliencePresets;

/// <summary>
/// Moments as UTC ticks, added without overflow: a server's reset can name a moment past the year 9999, and such a
/// moment is read as the last one <see cref="DateTimeOffset"/> can hold.
/// </summary>
internal static class UtcTicks
{
    public static readonly long Max = DateTimeOffset.MaxValue.UtcTicks;

    /// <summary>Returns the UTC ticks of <paramref name="wait"/> after <paramref name="now"/>, at most <see cref="Max"/>.</summary>
    public static long After(DateTimeOffset now, TimeSpan wait) => Add(now.UtcTicks, wait.Ticks);

    /// <summary>Returns <paramref name="ticks"/> plus a non-negative <paramref name="more"/>, at most <see cref="Max"/>.</summary>
    public static long Add(long ticks, long more) => more <= 0 ? ticks : more < Max - ticks ? ticks + more : Max;
}
