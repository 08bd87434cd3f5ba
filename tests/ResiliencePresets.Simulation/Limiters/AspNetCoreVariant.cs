namespace ResiliencePresets.Simulation.Limiters;

/// <summary>The limiters of ASP.NET Core's rate limiting middleware (System.Threading.RateLimiting) the simulation runs.</summary>
public enum AspNetCoreAlgorithm
{
    /// <summary><c>FixedWindowRateLimiter</c>: <c>rate</c> permits per one-second window.</summary>
    FixedWindow,

    /// <summary><c>SlidingWindowRateLimiter</c>: <c>rate</c> permits per one-second window of four segments.</summary>
    SlidingWindow,

    /// <summary><c>TokenBucketRateLimiter</c>: <c>rate</c> tokens, a tenth of them replenished every tenth of a second.</summary>
    TokenBucket,
}

/// <summary>How the middleware's <c>OnRejected</c> writes the lease's <c>MetadataName.RetryAfter</c>.</summary>
public enum RetryAfterWriting
{
    /// <summary>Whole seconds, rounded up: never earlier than the limiter's own wait.</summary>
    RoundedUp,

    /// <summary>Whole seconds, truncated, as the ASP.NET Core docs' sample writes it: often <c>0</c> under a one-second window.</summary>
    Truncated,

    /// <summary>No <c>Retry-After</c>: the middleware's default, 429 alone.</summary>
    Absent,
}

/// <summary>One limiter of the middleware and how its refusals name a wait.</summary>
public sealed record AspNetCoreVariant(AspNetCoreAlgorithm Algorithm, RetryAfterWriting RetryAfter)
{
    public string Name => $"ASP.NET Core {Algorithm switch
    {
        AspNetCoreAlgorithm.FixedWindow => "fixed window",
        AspNetCoreAlgorithm.SlidingWindow => "sliding window",
        _ => "token bucket",
    }}, 429, {RetryAfter switch
    {
        RetryAfterWriting.RoundedUp => "Retry-After rounded up",
        RetryAfterWriting.Truncated => "Retry-After truncated",
        _ => Algorithm == AspNetCoreAlgorithm.SlidingWindow ? "no Retry-After (its leases name no wait)" : "no Retry-After",
    }}";

    /// <summary>
    /// Gets every algorithm with every way of writing <c>Retry-After</c>, except that the sliding window runs once: its
    /// leases carry no <c>MetadataName.RetryAfter</c>, so rounded up, truncated and absent all send no header.
    /// </summary>
    public static IReadOnlyList<AspNetCoreVariant> All { get; } =
        [.. Enum.GetValues<AspNetCoreAlgorithm>().SelectMany(a => Enum.GetValues<RetryAfterWriting>()
            .Where(r => a != AspNetCoreAlgorithm.SlidingWindow || r == RetryAfterWriting.Absent)
            .Select(r => new AspNetCoreVariant(a, r)))];
}
