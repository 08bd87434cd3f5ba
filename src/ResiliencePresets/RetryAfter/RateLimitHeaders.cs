using System.Globalization;
using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// Reads the rate-limit headers APIs send: the IETF <c>RateLimit</c> field and the <c>RateLimit-*</c> and
/// <c>X-RateLimit-*</c> families.
/// </summary>
internal static class RateLimitHeaders
{
    internal const string RateLimit = "RateLimit";
    internal const string RateLimitRemaining = "RateLimit-Remaining";
    internal const string RateLimitReset = "RateLimit-Reset";
    internal const string XRateLimitRemaining = "X-RateLimit-Remaining";
    internal const string XRateLimitReset = "X-RateLimit-Reset";

    // Smaller values of X-RateLimit-Reset are delta-seconds; larger ones are Unix times (September 2001 onwards).
    private const long EpochThreshold = 1_000_000_000;

    private static readonly long MaxSeconds = (long)TimeSpan.MaxValue.TotalSeconds;

    /// <summary>
    /// Reads how many requests the server still allows and when that allowance resets: the IETF <c>RateLimit</c> field
    /// (its most restrictive preset), else <c>RateLimit-Remaining</c> with <c>RateLimit-Reset</c>, else
    /// <c>X-RateLimit-Remaining</c> with <c>X-RateLimit-Reset</c> (delta-seconds or a Unix time).
    /// </summary>
    public static bool TryReadQuota(HttpResponseMessage response, DateTimeOffset now, out long remaining, out TimeSpan resetIn)
    {
        var headers = response.Headers.NonValidated;
        if (headers.TryGetValues(RateLimit, out var values) && ParseField(values) is { TightestRemaining: long r, TightestResetSeconds: long t } &&
            ResetDelay(t, allowEpoch: false, now) is TimeSpan fieldReset)
        {
            (remaining, resetIn) = (r, fieldReset);
            return true;
        }

        foreach (var (remainingName, resetName, allowEpoch) in (ReadOnlySpan<(string, string, bool)>)[(RateLimitRemaining, RateLimitReset, false), (XRateLimitRemaining, XRateLimitReset, true)])
        {
            if (ReadInteger(headers, remainingName) is long left && ReadInteger(headers, resetName) is long seconds &&
                ResetDelay(seconds, allowEpoch, now) is TimeSpan reset)
            {
                (remaining, resetIn) = (left, reset);
                return true;
            }
        }

        (remaining, resetIn) = (0, TimeSpan.Zero);
        return false;
    }

    /// <summary>
    /// Returns the name of the header a quota's reset is read from, in the order <see cref="TryReadQuota"/> reads them.
    /// </summary>
    public static string ResetHeaderOf(HttpResponseMessage response)
    {
        var headers = response.Headers.NonValidated;
        return headers.Contains(RateLimit) ? RateLimit
            : headers.Contains(RateLimitReset) ? RateLimitReset
            : XRateLimitReset;
    }

    /// <summary>
    /// Converts a reset value to a wait from <paramref name="now"/>: delta-seconds, or with <paramref name="allowEpoch"/>
    /// a Unix time when the value is large enough to be one. Zero, past and unrepresentable values give <see langword="null"/>.
    /// </summary>
    public static TimeSpan? ResetDelay(long seconds, bool allowEpoch, DateTimeOffset now)
    {
        if (allowEpoch && seconds > EpochThreshold)
        {
            return seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds() && DateTimeOffset.FromUnixTimeSeconds(seconds) - now is { Ticks: > 0 } wait
                ? wait
                : null;
        }

        return seconds > 0 && seconds < MaxSeconds ? TimeSpan.FromTicks(seconds * TimeSpan.TicksPerSecond) : null;
    }

    /// <summary>
    /// Returns whether the response says the caller has no requests left in the current window.
    /// </summary>
    public static bool IsExhausted(HttpResponseMessage response)
    {
        var headers = response.Headers.NonValidated;
        return ReadInteger(headers, XRateLimitRemaining) == 0
            || ReadInteger(headers, RateLimitRemaining) == 0
            || (headers.TryGetValues(RateLimit, out var values) && ParseField(values).MinRemaining == 0);
    }

    /// <summary>
    /// Reads the wait in the <c>RateLimit</c> field: its <c>t=</c> (or older <c>reset=</c>) parameter, for a preset
    /// whose remaining quota is zero or not stated.
    /// </summary>
    public static long? ReadFieldResetSeconds(HttpHeadersNonValidated headers)
    {
        if (!headers.TryGetValues(RateLimit, out var values))
        {
            return null;
        }

        var field = ParseField(values);
        if (field.ExhaustedResetSeconds is long exhausted)
        {
            return exhausted;
        }

        return field.MinRemaining is null or 0 ? field.MaxResetSeconds : null;
    }

    /// <summary>
    /// Reads the first value of a header as a non-negative whole number.
    /// </summary>
    public static long? ReadInteger(HttpHeadersNonValidated headers, string name)
    {
        if (!headers.TryGetValues(name, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            return long.TryParse(value.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        }

        return null;
    }

    // Accepts both the current draft's list of policies ("default";r=0;t=30) and the older
    // dictionary form (limit=100, remaining=0, reset=30).
    private static FieldValues ParseField(HeaderStringValues values)
    {
        long? minRemaining = null;
        long? maxReset = null;
        long? exhaustedReset = null;
        long? tightestRemaining = null;
        long? tightestReset = null;
        var tightestPace = -1.0;

        foreach (var value in values)
        {
            foreach (var item in value.Split(','))
            {
                long? remaining = null;
                long? reset = null;
                foreach (var parameter in item.Split(';'))
                {
                    var separator = parameter.IndexOf('=', StringComparison.Ordinal);
                    if (separator <= 0)
                    {
                        continue;
                    }

                    var key = parameter.AsSpan(0, separator).Trim();
                    var number = parameter.AsSpan(separator + 1).Trim();
                    if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    {
                        continue;
                    }

                    if (key is "r" || key.Equals("remaining", StringComparison.OrdinalIgnoreCase))
                    {
                        remaining = parsed;
                    }
                    else if (key is "t" || key.Equals("reset", StringComparison.OrdinalIgnoreCase))
                    {
                        reset = parsed;
                    }
                }

                if (remaining is long r)
                {
                    minRemaining = minRemaining is long m ? Math.Min(m, r) : r;
                }

                if (remaining is long pr && reset is long pt && (double)pt / Math.Max(pr, 1) > tightestPace)
                {
                    (tightestRemaining, tightestReset, tightestPace) = (pr, pt, (double)pt / Math.Max(pr, 1));
                }

                if (reset is long t)
                {
                    maxReset = maxReset is long mt ? Math.Max(mt, t) : t;
                    if (remaining == 0)
                    {
                        exhaustedReset = exhaustedReset is long et ? Math.Max(et, t) : t;
                    }
                }
            }
        }

        // The older dictionary form spreads one preset over several items.
        if (tightestRemaining is null && minRemaining is long onlyRemaining && maxReset is long onlyReset)
        {
            (tightestRemaining, tightestReset) = (onlyRemaining, onlyReset);
        }

        return new FieldValues(minRemaining, maxReset, exhaustedReset, tightestRemaining, tightestReset);
    }

    private readonly record struct FieldValues(long? MinRemaining, long? MaxResetSeconds, long? ExhaustedResetSeconds, long? TightestRemaining, long? TightestResetSeconds);
}
