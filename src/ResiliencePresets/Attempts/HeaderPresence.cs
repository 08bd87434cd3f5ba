using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// Which of the headers a finished attempt is judged by its response carries, found in one pass over its header names,
/// so that the inspection looks up only the headers that are there: most responses carry none of them.
/// </summary>
/// <param name="RetryAfterMs">Whether it carries <c>retry-after-ms</c>.</param>
/// <param name="XMsRetryAfterMs">Whether it carries <c>x-ms-retry-after-ms</c>.</param>
/// <param name="RetryAfter">Whether it carries <c>Retry-After</c>.</param>
/// <param name="Quota">Whether it carries a quota's reset or the IETF <c>RateLimit</c> field: without one, no quota
/// can be read (<see cref="RateLimitHeaders.TryReadQuota"/>) and no quota names a wait.</param>
/// <param name="Resource">Whether it carries GitHub's <c>x-ratelimit-resource</c>.</param>
/// <param name="Verdict">Whether it carries the server's retry verdict (<c>x-should-retry</c>, <c>Stripe-Should-Retry</c>).</param>
/// <param name="Remaining">Whether it carries a quota's remaining count (<c>X-RateLimit-Remaining</c> and the other
/// families <see cref="RateLimitHeaders"/> reads): without one, or the <c>RateLimit</c> field, no quota is spent
/// (<see cref="RateLimitHeaders.IsExhausted"/>).</param>
internal readonly record struct HeaderPresence(bool RetryAfterMs, bool XMsRetryAfterMs, bool RetryAfter, bool Quota, bool Resource, bool Verdict, bool Remaining = false)
{
    /// <summary>Gets a value indicating whether a header names a wait: an explicit wait or a quota's reset.</summary>
    public bool Wait => RetryAfterMs || XMsRetryAfterMs || RetryAfter || Quota;

    /// <summary>Gets a value indicating whether a header names an explicit wait.</summary>
    public bool Explicit => RetryAfterMs || XMsRetryAfterMs || RetryAfter;

    public static HeaderPresence Of(HttpHeadersNonValidated headers)
    {
        if (headers.Count == 0)
        {
            return default;
        }

        var (ms, xms, retryAfter, quota, resource, verdict, remaining) = (false, false, false, false, false, false, false);
        foreach (var header in headers)
        {
            var name = header.Key;
            switch (name.Length)
            {
                case 9: quota |= Is(name, RateLimitHeaders.RateLimit); break;
                case 11: retryAfter |= Is(name, RetryAfterReader.RetryAfter); break;
                case 14: (ms, verdict) = (ms | Is(name, RetryAfterReader.RetryAfterMs), verdict | Is(name, StatusCodeClassifier.OpenAiVerdictHeader)); break;
                case 15: quota |= Is(name, RateLimitHeaders.RateLimitReset); break;
                case 17: quota |= Is(name, RateLimitHeaders.XRateLimitReset); break;
                case 18: quota |= Is(name, RateLimitHeaders.XRateDashLimitReset); break;
                case 19:
                    (xms, verdict) = (xms | Is(name, RetryAfterReader.XMsRetryAfterMs), verdict | Is(name, StatusCodeClassifier.StripeVerdictHeader));
                    remaining |= Is(name, RateLimitHeaders.RateLimitRemaining);
                    break;
                case 20: resource |= Is(name, RateScopeName.GitHubResource); break;
                case 21: remaining |= Is(name, RateLimitHeaders.XRateLimitRemaining); break;
                case 22: remaining |= Is(name, RateLimitHeaders.XRateDashLimitRemaining); break;
                case 23: quota |= Is(name, RateLimitHeaders.XRateLimitResetAfter); break;
                case 24: quota |= Is(name, RateLimitHeaders.OpenAiResetTokens); break;
                case 26: quota |= Is(name, RateLimitHeaders.OpenAiResetRequests); break;
                case 28: remaining |= Is(name, RateLimitHeaders.OpenAiRemainingTokens); break;
                case 30: remaining |= Is(name, RateLimitHeaders.OpenAiRemainingRequests); break;
                case 32: quota |= Is(name, RateLimitHeaders.AnthropicTokensReset); break;
                case 34: quota |= Is(name, RateLimitHeaders.AnthropicRequestsReset); break;
                case 36: remaining |= Is(name, RateLimitHeaders.AnthropicTokensRemaining); break;
                case 38:
                    quota |= Is(name, RateLimitHeaders.AnthropicInputTokensReset);
                    remaining |= Is(name, RateLimitHeaders.AnthropicRequestsRemaining);
                    break;
                case 39: quota |= Is(name, RateLimitHeaders.AnthropicOutputTokensReset); break;
                case 42: remaining |= Is(name, RateLimitHeaders.AnthropicInputTokensRemaining); break;
                case 43: remaining |= Is(name, RateLimitHeaders.AnthropicOutputTokensRemaining); break;
            }
        }

        return new(ms, xms, retryAfter, quota, resource, verdict, remaining);
    }

    private static bool Is(string name, string header) => name.Equals(header, StringComparison.OrdinalIgnoreCase);
}
