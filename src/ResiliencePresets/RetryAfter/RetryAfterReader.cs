using System.Globalization;
using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// Finds how long a server asked the client to wait before trying again.
/// </summary>
/// <remarks>
/// <para>Headers are read in this order, and the first that holds a usable wait wins. Explicit waits first:
/// <c>retry-after-ms</c> and <c>x-ms-retry-after-ms</c> (milliseconds, sent by OpenAI and Azure), then
/// <c>Retry-After</c> as delta-seconds or as an HTTP-date (RFC 9110 §10.2.3). Delta-seconds may carry a decimal fraction
/// (<c>1.5</c>), rounded up to the next whole second. An HTTP-date may take any of the three forms of RFC 9110 §5.6.7;
/// the two-digit year of the obsolete RFC 850 form (<c>Sunday, 06-Nov-94 08:49:37 GMT</c>) is read relative to
/// <c>now</c>: a year that appears to be more than 50 years ahead is the most recent past year with those digits.</para>
/// <para>Only when no explicit wait is usable, the quota resets (as the IETF RateLimit draft says, <c>Retry-After</c>
/// takes precedence over them). First a spent quota's reset, of every quota family <see cref="RateLimitHeaders"/> reads
/// (the IETF <c>RateLimit</c> field and <c>RateLimit-*</c>, <c>X-RateLimit-*</c>, <c>X-Rate-Limit-*</c>, OpenAI's
/// <c>x-ratelimit-*-requests</c> and <c>-tokens</c>, Anthropic's <c>anthropic-ratelimit-*</c>); of several spent quotas,
/// the one that resets last (<see cref="MostConstrainingQuota"/>). Then the resets whose remaining count is not stated:
/// the <c>RateLimit</c> field's <c>t=</c>, <c>RateLimit-Reset</c>, Discord's <c>X-RateLimit-Reset-After</c>,
/// <c>X-RateLimit-Reset</c> and <c>X-Rate-Limit-Reset</c>. The field's <c>t=</c> and <c>X-RateLimit-Reset-After</c> are
/// delta-seconds; of the other three, a value larger than 1,000,000,000 is a Unix time (as GitLab, GitHub, X and Okta
/// send it) and a smaller one delta-seconds. The reset headers may carry a decimal fraction.</para>
/// <para>A usable wait is positive. Zero, negative, past, unparseable and unrepresentably large values are ignored, so
/// the caller falls back to its own backoff. Of several values of an explicit wait header or of the <c>RateLimit</c>
/// field, the longest counts; of a reset header, the first. Nothing here throws for any header value.</para>
/// </remarks>
public static class RetryAfterReader
{
    /// <summary>The standard header (RFC 9110 §10.2.3).</summary>
    internal const string RetryAfter = "Retry-After";

    /// <summary>Milliseconds, sent by OpenAI.</summary>
    internal const string RetryAfterMs = "retry-after-ms";

    /// <summary>Milliseconds, sent by Azure services.</summary>
    internal const string XMsRetryAfterMs = "x-ms-retry-after-ms";

    private static readonly long MaxSeconds = (long)TimeSpan.MaxValue.TotalSeconds;

    /// <summary>
    /// Reads the wait a response asks for.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <param name="now">The current time, used for HTTP-dates and epoch times.</param>
    /// <param name="value">The wait and the header it came from, when one was found.</param>
    /// <returns><see langword="true"/> when the response carries a usable wait.</returns>
    public static bool TryRead(HttpResponseMessage response, DateTimeOffset now, out RetryAfterValue value)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers.NonValidated;
        var presence = HeaderPresence.Of(headers);
        if (!presence.Wait)
        {
            value = default;
            return false;
        }

        QuotaReading? quota = presence.Quota && RateLimitHeaders.TryReadQuota(response, now, out var read) ? read : null;
        return Found(ReadWait(headers, now, presence, quota, out _), out value);
    }

    /// <summary>
    /// Reads the wait in the order of the remarks, looking up only the headers <paramref name="presence"/> found: an
    /// explicit wait (<paramref name="isExplicit"/>), else the wait <paramref name="quota"/> or a reset header names.
    /// </summary>
    internal static (TimeSpan Wait, string Header)? ReadWait(HttpHeadersNonValidated headers, DateTimeOffset now, in HeaderPresence presence, in QuotaReading? quota, out bool isExplicit)
    {
        var explicitWait = presence.Explicit ? ReadExplicit(headers, now, presence) : null;
        isExplicit = explicitWait is not null;
        return explicitWait ?? (presence.Quota ? ReadQuotaWait(headers, now, quota) : null);
    }

    /// <summary>
    /// Reads the wait a quota names, for a response without a usable explicit wait: a spent quota's reset, else a reset
    /// whose remaining count is absent (or zero, where the pair was not readable as a quota).
    /// </summary>
    internal static (TimeSpan Wait, string Header)? ReadQuotaWait(HttpHeadersNonValidated headers, DateTimeOffset now, in QuotaReading? quota)
        => quota is { IsSpent: true } spent ? (spent.ResetIn, spent.Header)
            : RateLimitHeaders.ReadFieldResetSeconds(headers) is long fieldSeconds && RateLimitHeaders.ResetDelay(fieldSeconds, allowEpoch: false, now) is { } field ? (field, RateLimitHeaders.RateLimit)
            : ReadReset(headers, RateLimitHeaders.RateLimitReset, RateLimitHeaders.RateLimitRemaining, now, allowEpoch: true) is { } reset ? (reset, RateLimitHeaders.RateLimitReset)
            : ReadReset(headers, RateLimitHeaders.XRateLimitResetAfter, RateLimitHeaders.XRateLimitRemaining, now, allowEpoch: false) is { } after ? (after, RateLimitHeaders.XRateLimitResetAfter)
            : ReadReset(headers, RateLimitHeaders.XRateLimitReset, RateLimitHeaders.XRateLimitRemaining, now, allowEpoch: true) is { } xreset ? (xreset, RateLimitHeaders.XRateLimitReset)
            : ReadReset(headers, RateLimitHeaders.XRateDashLimitReset, RateLimitHeaders.XRateDashLimitRemaining, now, allowEpoch: true) is { } dashed ? (dashed, RateLimitHeaders.XRateDashLimitReset)
            : null;

    /// <summary>
    /// Returns whether a response carries an explicit wait header with a usable positive value, read without the clock:
    /// any well-formed HTTP-date counts, whether or not it is still ahead.
    /// </summary>
    internal static bool NamesExplicitWait(HttpHeadersNonValidated headers)
    {
        var presence = HeaderPresence.Of(headers);
        if ((presence.RetryAfterMs && ReadMilliseconds(headers, RetryAfterMs) is not null) || (presence.XMsRetryAfterMs && ReadMilliseconds(headers, XMsRetryAfterMs) is not null))
        {
            return true;
        }

        if (presence.RetryAfter && headers.TryGetValues(RetryAfter, out var values))
        {
            foreach (var value in values)
            {
                if (RetryAfterField.NamesAWait(value))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // An explicit wait decides alone: the IETF RateLimit draft gives Retry-After precedence over a quota reset. Only the
    // headers presence found are looked up: most responses carry none of them.
    private static (TimeSpan Wait, string Header)? ReadExplicit(HttpHeadersNonValidated headers, DateTimeOffset now, in HeaderPresence presence)
        => (presence.RetryAfterMs ? ReadMilliseconds(headers, RetryAfterMs) : null) is { } ms ? (ms, RetryAfterMs)
            : (presence.XMsRetryAfterMs ? ReadMilliseconds(headers, XMsRetryAfterMs) : null) is { } xms ? (xms, XMsRetryAfterMs)
            : (presence.RetryAfter ? ReadRetryAfter(headers, now) : null) is { } retryAfter ? (retryAfter, RetryAfter)
            : null;

    internal static bool Found((TimeSpan Wait, string Header)? delay, out RetryAfterValue value)
    {
        value = delay is var (wait, header) ? new RetryAfterValue(wait, header) : default;
        return delay is not null;
    }

    private static TimeSpan? ReadMilliseconds(HttpHeadersNonValidated headers, string name)
    {
        if (!headers.TryGetValues(name, out var values))
        {
            return null;
        }

        TimeSpan? longest = null;
        foreach (var value in values)
        {
            if (double.TryParse(value.AsSpan().Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ms) &&
                ms > 0 && ms / 1000 < MaxSeconds)
            {
                longest = Longest(longest, TimeSpan.FromTicks((long)(ms * TimeSpan.TicksPerMillisecond)));
            }
        }

        return longest is { Ticks: > 0 } ? longest : null;
    }

    private static TimeSpan? ReadRetryAfter(HttpHeadersNonValidated headers, DateTimeOffset now)
    {
        if (!headers.TryGetValues(RetryAfter, out var values))
        {
            return null;
        }

        TimeSpan? longest = null;
        foreach (var value in values)
        {
            if (RetryAfterField.TryReadWait(value, now, out var wait))
            {
                longest = Longest(longest, wait);
            }
        }

        return longest;
    }

    private static TimeSpan? ReadReset(HttpHeadersNonValidated headers, string resetName, string remainingName, DateTimeOffset now, bool allowEpoch)
        => RateLimitHeaders.ReadRemaining(headers, remainingName) is > 0 ? null : RateLimitHeaders.ReadResetSeconds(headers, resetName, allowEpoch, now);

    private static TimeSpan Longest(TimeSpan? current, TimeSpan candidate)
        => current is TimeSpan c && c > candidate ? c : candidate;
}
