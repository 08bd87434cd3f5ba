using System.Globalization;
using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// Reads the quota headers APIs send: the IETF <c>RateLimit</c> field, the <c>RateLimit-*</c> and <c>X-RateLimit-*</c>
/// families (GitHub among them), OpenAI's <c>x-ratelimit-*-requests</c> and <c>x-ratelimit-*-tokens</c>, and
/// Anthropic's <c>anthropic-ratelimit-*</c>.
/// </summary>
/// <remarks>
/// Each family is a remaining count and a reset, read as a pair: a remaining without a readable reset is no quota (it
/// still makes a 403 a rate limit, see <see cref="IsExhausted"/>). Resets are delta-seconds (<c>RateLimit</c>,
/// <c>RateLimit-Reset</c>), delta-seconds or a Unix time (<c>X-RateLimit-Reset</c>), a Go duration (OpenAI:
/// <see cref="GoDuration"/>) or an RFC 3339 instant (Anthropic: <see cref="Rfc3339Instant"/>). Every quota a response
/// reports is read, and <see cref="MostConstrainingQuota"/> picks the one that decides.
/// </remarks>
internal static class RateLimitHeaders
{
    internal const string RateLimit = "RateLimit";
    internal const string RateLimitRemaining = "RateLimit-Remaining";
    internal const string RateLimitReset = "RateLimit-Reset";
    internal const string XRateLimitRemaining = "X-RateLimit-Remaining";
    internal const string XRateLimitReset = "X-RateLimit-Reset";
    internal const string OpenAiRemainingRequests = "x-ratelimit-remaining-requests";
    internal const string OpenAiResetRequests = "x-ratelimit-reset-requests";
    internal const string OpenAiRemainingTokens = "x-ratelimit-remaining-tokens";
    internal const string OpenAiResetTokens = "x-ratelimit-reset-tokens";
    internal const string AnthropicRequestsRemaining = "anthropic-ratelimit-requests-remaining";
    internal const string AnthropicRequestsReset = "anthropic-ratelimit-requests-reset";
    internal const string AnthropicTokensRemaining = "anthropic-ratelimit-tokens-remaining";
    internal const string AnthropicTokensReset = "anthropic-ratelimit-tokens-reset";
    internal const string AnthropicInputTokensRemaining = "anthropic-ratelimit-input-tokens-remaining";
    internal const string AnthropicInputTokensReset = "anthropic-ratelimit-input-tokens-reset";
    internal const string AnthropicOutputTokensRemaining = "anthropic-ratelimit-output-tokens-remaining";
    internal const string AnthropicOutputTokensReset = "anthropic-ratelimit-output-tokens-reset";

    // Smaller values of X-RateLimit-Reset are delta-seconds; larger ones are Unix times (September 2001 onwards).
    private const long EpochThreshold = 1_000_000_000;

    private static readonly long MaxSeconds = (long)TimeSpan.MaxValue.TotalSeconds;

    // The header pairs, in the order they are read; of quotas equally tight, the first read stays.
    private static readonly QuotaPair[] Pairs =
    [
        new(RateLimitRemaining, RateLimitReset, ResetForm.DeltaSeconds, CountsTokens: false),
        new(XRateLimitRemaining, XRateLimitReset, ResetForm.DeltaSecondsOrUnixTime, CountsTokens: false),
        new(OpenAiRemainingRequests, OpenAiResetRequests, ResetForm.GoDuration, CountsTokens: false),
        new(OpenAiRemainingTokens, OpenAiResetTokens, ResetForm.GoDuration, CountsTokens: true),
        new(AnthropicRequestsRemaining, AnthropicRequestsReset, ResetForm.Rfc3339, CountsTokens: false),
        new(AnthropicTokensRemaining, AnthropicTokensReset, ResetForm.Rfc3339, CountsTokens: true),
        new(AnthropicInputTokensRemaining, AnthropicInputTokensReset, ResetForm.Rfc3339, CountsTokens: true),
        new(AnthropicOutputTokensRemaining, AnthropicOutputTokensReset, ResetForm.Rfc3339, CountsTokens: true),
    ];

    private enum ResetForm
    {
        DeltaSeconds,
        DeltaSecondsOrUnixTime,
        GoDuration,
        Rfc3339,
    }

    /// <summary>
    /// Reads every quota the response reports and returns the one that decides (<see cref="MostConstrainingQuota"/>):
    /// the IETF <c>RateLimit</c> field's policies, then the header pairs in the order of the remarks above.
    /// </summary>
    public static bool TryReadQuota(HttpResponseMessage response, DateTimeOffset now, out QuotaReading quota)
    {
        var headers = response.Headers.NonValidated;
        QuotaReading? chosen = headers.TryGetValues(RateLimit, out var values) ? ParseField(values).Quota : null;
        foreach (var pair in Pairs)
        {
            if (ReadInteger(headers, pair.Remaining) is long left && ReadReset(headers, pair, now) is TimeSpan reset)
            {
                chosen = MostConstrainingQuota.Tighter(chosen, new QuotaReading(left, reset, pair.Reset, pair.CountsTokens));
            }
        }

        quota = chosen.GetValueOrDefault();
        return chosen is not null;
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
    /// Returns whether the response says the caller has nothing left in the current window: any remaining-quota header
    /// of the families above is 0, or a <c>RateLimit</c> policy's <c>r</c> is, whether or not a reset is readable.
    /// </summary>
    public static bool IsExhausted(HttpResponseMessage response)
    {
        var headers = response.Headers.NonValidated;
        foreach (var pair in Pairs)
        {
            if (ReadInteger(headers, pair.Remaining) == 0)
            {
                return true;
            }
        }

        return headers.TryGetValues(RateLimit, out var values) && ParseField(values).MinRemaining == 0;
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

    // A reset in its family's form, as a positive wait from now; anything unreadable is no reset.
    private static TimeSpan? ReadReset(HttpHeadersNonValidated headers, in QuotaPair pair, DateTimeOffset now)
    {
        switch (pair.Form)
        {
            case ResetForm.DeltaSeconds or ResetForm.DeltaSecondsOrUnixTime:
                return ReadInteger(headers, pair.Reset) is long seconds ? ResetDelay(seconds, pair.Form == ResetForm.DeltaSecondsOrUnixTime, now) : null;
            default:
                if (FirstValue(headers, pair.Reset) is not string text)
                {
                    return null;
                }

                if (pair.Form == ResetForm.GoDuration)
                {
                    return GoDuration.TryParse(text, out var duration) && duration > TimeSpan.Zero ? duration : null;
                }

                return Rfc3339Instant.TryParse(text, out var instant) && instant - now is { Ticks: > 0 } untilInstant ? untilInstant : null;
        }
    }

    private static string? FirstValue(HttpHeadersNonValidated headers, string name)
    {
        if (headers.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                return value;
            }
        }

        return null;
    }

    // Accepts both the current draft's list of policies ("default";r=0;t=30) and the older dictionary form (limit=100,
    // remaining=0, reset=30). Each policy with both r and t is a quota, named by its first member when that is a
    // string or a token rather than a parameter.
    private static FieldValues ParseField(HeaderStringValues values)
    {
        long? minRemaining = null;
        long? maxReset = null;
        long? exhaustedReset = null;
        QuotaReading? quota = null;

        foreach (var value in values)
        {
            foreach (var item in value.Split(','))
            {
                long? remaining = null;
                long? reset = null;
                string? name = null;
                var first = true;
                foreach (var parameter in item.Split(';'))
                {
                    var separator = parameter.IndexOf('=', StringComparison.Ordinal);
                    if (separator <= 0)
                    {
                        if (first)
                        {
                            name = parameter.Trim().Trim('"');
                        }

                        first = false;
                        continue;
                    }

                    first = false;
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

                if (remaining is long pr && reset is long pt && ResetDelay(pt, allowEpoch: false, DateTimeOffset.UnixEpoch) is TimeSpan policyReset)
                {
                    quota = MostConstrainingQuota.Tighter(quota, new QuotaReading(pr, policyReset, RateLimit, Policy: string.IsNullOrEmpty(name) ? null : name));
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

        // The older dictionary form spreads one policy over several items.
        if (quota is null && minRemaining is long onlyRemaining && maxReset is long onlyReset &&
            ResetDelay(onlyReset, allowEpoch: false, DateTimeOffset.UnixEpoch) is TimeSpan dictionaryReset)
        {
            quota = new QuotaReading(onlyRemaining, dictionaryReset, RateLimit);
        }

        return new FieldValues(minRemaining, maxReset, exhaustedReset, quota);
    }

    private readonly record struct FieldValues(long? MinRemaining, long? MaxResetSeconds, long? ExhaustedResetSeconds, QuotaReading? Quota);

    private readonly record struct QuotaPair(string Remaining, string Reset, ResetForm Form, bool CountsTokens);
}
