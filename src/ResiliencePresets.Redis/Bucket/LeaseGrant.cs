namespace ResiliencePresets.Redis;

/// <summary>
/// Permits granted by one lease, from Redis or from the local fallback, and when each may be used: permit <c>j</c>
/// (from 1) is usable at once when the bucket held <c>j</c> tokens before the grant, otherwise once the bucket has
/// earned it, <c>(j - before) / rate</c> seconds after <see cref="At"/>. A lease that granted nothing says when to ask
/// again.
/// </summary>
/// <param name="At">The local moment the lease was granted.</param>
/// <param name="Before">The tokens in the bucket before the grant; negative while the bucket is in debt.</param>
/// <param name="Granted">The permits granted.</param>
/// <param name="PermitsPerSecond">The bucket's rate.</param>
internal readonly record struct LeaseGrant(DateTimeOffset At, double Before, int Granted, double PermitsPerSecond)
{
    /// <summary>Gets, for a lease of a learned rate that Redis answered to a caller that is not the rate's owner, how
    /// long ago the owner's rate was last lowered (<see cref="LeaseScript"/>); <see langword="null"/> for the owner, a
    /// configured bucket and the local fallback.</summary>
    public TimeSpan? SinceOwnerCut { get; init; }

    /// <summary>Gets the live instances of the key as Redis counted them at this lease; 0 for the local fallback.</summary>
    public int Instances { get; init; }

    /// <summary>Returns when permit <paramref name="j"/> (from 1) of the grant may be used.</summary>
    public DateTimeOffset UsableAt(int j) => j <= Before ? At : At + TimeSpan.FromSeconds((j - Before) / PermitsPerSecond);

    /// <summary>Returns how long after <see cref="At"/> a lease can grant a permit again, with a debt of at most
    /// <paramref name="horizon"/>.</summary>
    public TimeSpan RetryAfter(TimeSpan horizon)
    {
        var after = Before - Granted;
        var seconds = (1 - (horizon.TotalSeconds * PermitsPerSecond) - after) / PermitsPerSecond;
        return seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMilliseconds(1);
    }
}
