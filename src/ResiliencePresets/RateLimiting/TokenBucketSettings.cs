using System.Threading.RateLimiting;

namespace ResiliencePresets;

/// <summary>
/// Turns a rate in permits per second into token-bucket settings that refill at most twenty times a second, so that a
/// high rate does not mean a timer per permit.
/// </summary>
internal static class TokenBucketSettings
{
    private const double TicksPerSecondWithTimer = 20;

    public static TokenBucketRateLimiterOptions Options(double permitsPerSecond, int burst, int queueLimit)
    {
        var tokensPerPeriod = permitsPerSecond <= TicksPerSecondWithTimer ? 1 : (int)Math.Round(permitsPerSecond / TicksPerSecondWithTimer);
        return new TokenBucketRateLimiterOptions
        {
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromTicks((long)(tokensPerPeriod * TimeSpan.TicksPerSecond / permitsPerSecond)),

            // A bucket smaller than one refill would lower the rate below the configured one.
            TokenLimit = Math.Max(burst, tokensPerPeriod),
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        };
    }
}
