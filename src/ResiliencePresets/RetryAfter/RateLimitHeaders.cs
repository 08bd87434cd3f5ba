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
    /// Reads the wait in the <c>RateLimit</c> field: its <c>t=</c> (or older <c>reset=</c>) parameter, for a policy
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

        return new FieldValues(minRemaining, maxReset, exhaustedReset);
    }

    private readonly record struct FieldValues(long? MinRemaining, long? MaxResetSeconds, long? ExhaustedResetSeconds);
}
