using System.Globalization;
using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// Reads the quota headers APIs send: the IETF <c>RateLimit</c> field, the <c>RateLimit-*</c> family (the IETF draft,
/// GitLab), <c>X-RateLimit-*</c> (GitHub, Discord, Reddit and many others), <c>X-Rate-Limit-*</c> (X, Okta), OpenAI's
/// <c>x-ratelimit-*-requests</c> and <c>x-ratelimit-*-tokens</c>, and Anthropic's <c>anthropic-ratelimit-*</c>.
/// </summary>
/// <remarks>
/// <para>Each family is a remaining count and a reset, read as a pair: a remaining without a readable reset is no quota
/// (it still makes a 403 a rate limit, see <see cref="IsExhausted"/>). Resets are delta-seconds (<c>RateLimit</c>,
/// Discord's <c>X-RateLimit-Reset-After</c>), delta-seconds or a Unix time (<c>RateLimit-Reset</c>,
/// <c>X-RateLimit-Reset</c>, <c>X-Rate-Limit-Reset</c>), a Go duration (OpenAI: <see cref="GoDuration"/>) or an
/// RFC 3339 instant (Anthropic: <see cref="Rfc3339Instant"/>). Every quota a response reports is read, and
/// <see cref="MostConstrainingQuota"/> picks the one that decides.</para>
/// <para>The three header families outside the <c>RateLimit</c> field take their numbers with a decimal fraction, as
/// Discord (<c>1470173023.123</c>, <c>64.57</c>) and Reddit (<c>598.0</c>) send them: a remaining count is rounded
/// down (less than one request left is none), a reset is kept to the tick and rounded up.</para>
/// <para>The <c>RateLimit</c> field is a Structured Field (RFC 9651), and each of its members is read as that RFC reads
/// it: a quoted policy name may hold <c>,</c>, <c>;</c> and <c>=</c> (<c>"a,b";r=0;t=30</c> is one policy), parameter
/// keys are lowercase, <c>r</c> and <c>t</c> count only as integers of at most 15 digits that are not negative, and of a
/// repeated parameter the last counts. Where the RFC fails the whole field, this reader is lenient member by member,
/// because the field only paces and a policy it can read is worth more than none: a member that does not parse, and an
/// empty one (<c>a,,b</c>, a trailing comma), is skipped and the others still count, and each field line is read on its
/// own. Leniency stops at the member: nothing is read from a member that does not parse, so no value is ever taken
/// from one policy for another or from a piece of a broken one.</para>
/// </remarks>
internal static class RateLimitHeaders
{
    internal const string RateLimit = "RateLimit";
    internal const string RateLimitRemaining = "RateLimit-Remaining";
    internal const string RateLimitReset = "RateLimit-Reset";
    internal const string XRateLimitRemaining = "X-RateLimit-Remaining";
    internal const string XRateLimitReset = "X-RateLimit-Reset";
    internal const string XRateLimitResetAfter = "X-RateLimit-Reset-After";
    internal const string XRateDashLimitRemaining = "X-Rate-Limit-Remaining";
    internal const string XRateDashLimitReset = "X-Rate-Limit-Reset";
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

    // Smaller reset values are delta-seconds; larger ones are Unix times (September 2001 onwards). A delta that large,
    // over 31 years, is past any Retry:MaxRetryAfter, so reading it as a time loses nothing a delta could have meant.
    private const long EpochThreshold = 1_000_000_000;

    private static readonly long MaxSeconds = (long)TimeSpan.MaxValue.TotalSeconds;

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    // The header pairs, in the order they are read; of quotas equally tight, the first read stays.
    private static readonly QuotaPair[] Pairs =
    [
        new(RateLimitRemaining, RateLimitReset, ResetForm.DeltaSecondsOrUnixTime, CountsTokens: false),
        new(XRateLimitRemaining, XRateLimitReset, ResetForm.DeltaSecondsOrUnixTime, CountsTokens: false, DeltaReset: XRateLimitResetAfter),
        new(XRateDashLimitRemaining, XRateDashLimitReset, ResetForm.DeltaSecondsOrUnixTime, CountsTokens: false),
        new(OpenAiRemainingRequests, OpenAiResetRequests, ResetForm.GoDuration, CountsTokens: false),
        new(OpenAiRemainingTokens, OpenAiResetTokens, ResetForm.GoDuration, CountsTokens: true),
        new(AnthropicRequestsRemaining, AnthropicRequestsReset, ResetForm.Rfc3339, CountsTokens: false),
        new(AnthropicTokensRemaining, AnthropicTokensReset, ResetForm.Rfc3339, CountsTokens: true),
        new(AnthropicInputTokensRemaining, AnthropicInputTokensReset, ResetForm.Rfc3339, CountsTokens: true),
        new(AnthropicOutputTokensRemaining, AnthropicOutputTokensReset, ResetForm.Rfc3339, CountsTokens: true),
    ];

    /// <summary>Gets the names of the remaining counts read, in the order they are read.</summary>
    internal static IEnumerable<string> RemainingHeaderNames => Pairs.Select(p => p.Remaining);

    private enum ResetForm
    {
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
            if (ReadRemaining(headers, pair.Remaining) is long left && ReadReset(headers, pair, now) is (TimeSpan reset, string header))
            {
                chosen = MostConstrainingQuota.Tighter(chosen, new QuotaReading(left, reset, header, pair.CountsTokens));
            }
        }

        quota = chosen.GetValueOrDefault();
        return chosen is not null;
    }

    /// <summary>
    /// Converts a reset value to a wait from <paramref name="now"/>: delta-seconds, or with <paramref name="allowEpoch"/>
    /// a Unix time when the value is large enough to be one. Zero, past and unrepresentable values give <see langword="null"/>.
    /// </summary>
    public static TimeSpan? ResetDelay(long seconds, bool allowEpoch, DateTimeOffset now) => ResetDelay((decimal)seconds, allowEpoch, now);

    /// <summary>
    /// Converts a reset value that may carry a fraction (<c>1470173023.123</c>, <c>64.57</c>) as
    /// <see cref="ResetDelay(long, bool, DateTimeOffset)"/> does, the wait rounded up to the next tick.
    /// </summary>
    public static TimeSpan? ResetDelay(decimal seconds, bool allowEpoch, DateTimeOffset now)
    {
        if (allowEpoch && seconds > EpochThreshold)
        {
            if (seconds > MaxUnixSeconds)
            {
                return null;
            }

            seconds -= (decimal)(now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond;
        }

        return seconds > 0 && seconds < MaxSeconds ? TimeSpan.FromTicks((long)Math.Ceiling(seconds * TimeSpan.TicksPerSecond)) : null;
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
            if (ReadRemaining(headers, pair.Remaining) == 0)
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
    /// Reads the first value of a remaining-count header: a non-negative number, its fraction rounded down
    /// (Reddit's <c>598.0</c> is 598, <c>0.5</c> is 0); one past <see cref="long.MaxValue"/> is no count.
    /// </summary>
    public static long? ReadRemaining(HttpHeadersNonValidated headers, string name)
        => ReadNumber(headers, name) is decimal number && Math.Floor(number) is var whole && whole <= long.MaxValue ? (long)whole : null;

    /// <summary>
    /// Reads the first value of a header as a non-negative number, <c>1*DIGIT [ "." 1*DIGIT ]</c> between optional
    /// whitespace: no sign, no exponent, no bare point, nothing too long for <see cref="decimal"/>.
    /// </summary>
    public static decimal? ReadNumber(HttpHeadersNonValidated headers, string name)
    {
        if (FirstValue(headers, name) is not string value)
        {
            return null;
        }

        var text = value.AsSpan().Trim();
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        if (whole.IsEmpty || whole.ContainsAnyExceptInRange('0', '9') || (point >= 0 && (fraction.IsEmpty || fraction.ContainsAnyExceptInRange('0', '9'))))
        {
            return null;
        }

        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    /// <summary>
    /// Reads a reset header of the delta-seconds-or-Unix-time form as a positive wait from <paramref name="now"/>.
    /// </summary>
    public static TimeSpan? ReadResetSeconds(HttpHeadersNonValidated headers, string name, bool allowEpoch, DateTimeOffset now)
        => ReadNumber(headers, name) is decimal seconds ? ResetDelay(seconds, allowEpoch, now) : null;

    // A reset in its family's form, as a positive wait from now and the header it came from; anything unreadable is no
    // reset. A delta reset sent beside a time (Discord's X-RateLimit-Reset-After) is read first: it needs no clock, so a
    // skew between the server's clock and ours does not move it.
    private static (TimeSpan Wait, string Header)? ReadReset(HttpHeadersNonValidated headers, in QuotaPair pair, DateTimeOffset now)
    {
        switch (pair.Form)
        {
            case ResetForm.DeltaSecondsOrUnixTime:
                if (pair.DeltaReset is string deltaName && ReadResetSeconds(headers, deltaName, allowEpoch: false, now) is TimeSpan delta)
                {
                    return (delta, deltaName);
                }

                return ReadResetSeconds(headers, pair.Reset, allowEpoch: true, now) is TimeSpan reset ? (reset, pair.Reset) : null;
            default:
                if (FirstValue(headers, pair.Reset) is not string text)
                {
                    return null;
                }

                if (pair.Form == ResetForm.GoDuration)
                {
                    return GoDuration.TryParse(text, out var duration) && duration > TimeSpan.Zero ? (duration, pair.Reset) : null;
                }

                return Rfc3339Instant.TryParse(text, out var instant) && instant - now is { Ticks: > 0 } untilInstant ? (untilInstant, pair.Reset) : null;
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
    // remaining=0, reset=30), each field line read as RFC 9651 reads it (StructuredFieldList, StructuredFieldMember).
    // Each policy with both r and t is a quota, named by its item when that is a string or a token.
    private static FieldValues ParseField(HeaderStringValues values)
    {
        long? minRemaining = null;
        long? maxReset = null;
        long? exhaustedReset = null;
        QuotaReading? quota = null;

        foreach (var value in values)
        {
            foreach (var text in new StructuredFieldList(value))
            {
                if (!StructuredFieldMember.TryParse(text, out var member))
                {
                    continue;
                }

                long? remaining = null;
                long? reset = null;
                ReadCount(member.Key, member.Item, ref remaining, ref reset);
                var parameters = member.Parameters;
                while (parameters.MoveNext())
                {
                    ReadCount(parameters.Key, parameters.Value, ref remaining, ref reset);
                }

                if (remaining is long r)
                {
                    minRemaining = minRemaining is long m ? Math.Min(m, r) : r;
                }

                if (remaining is long pr && reset is long pt && ResetDelay(pt, allowEpoch: false, DateTimeOffset.UnixEpoch) is TimeSpan policyReset)
                {
                    var name = member.Key.IsEmpty ? StructuredFieldItem.ReadName(member.Item) : null;
                    quota = MostConstrainingQuota.Tighter(quota, new QuotaReading(pr, policyReset, RateLimit, Policy: name));
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

        // The older dictionary form spreads one policy over several members.
        if (quota is null && minRemaining is long onlyRemaining && maxReset is long onlyReset &&
            ResetDelay(onlyReset, allowEpoch: false, DateTimeOffset.UnixEpoch) is TimeSpan dictionaryReset)
        {
            quota = new QuotaReading(onlyRemaining, dictionaryReset, RateLimit);
        }

        return new FieldValues(minRemaining, maxReset, exhaustedReset, quota);
    }

    // r (older: remaining) and t (reset), as a dictionary member's key and value or as a parameter. Of two, the later
    // counts, as RFC 9651 keeps the last of a repeated key: a later value that is not a count is no count at all.
    private static void ReadCount(ReadOnlySpan<char> key, ReadOnlySpan<char> item, ref long? remaining, ref long? reset)
    {
        if (key is "r" or "remaining")
        {
            remaining = StructuredFieldItem.TryReadInteger(item, out var count) && count >= 0 ? count : null;
        }
        else if (key is "t" or "reset")
        {
            reset = StructuredFieldItem.TryReadInteger(item, out var seconds) && seconds >= 0 ? seconds : null;
        }
    }

    private readonly record struct FieldValues(long? MinRemaining, long? MaxResetSeconds, long? ExhaustedResetSeconds, QuotaReading? Quota);

    // DeltaReset: a delta-seconds reset of the same quota, read before Reset when the response carries it.
    private readonly record struct QuotaPair(string Remaining, string Reset, ResetForm Form, bool CountsTokens, string? DeltaReset = null);
}
