using System.Net;

namespace ResiliencePresets.Tests.Attempts;

/// <summary>
/// The one pass over a response's header names that tells the inspection which headers to look up.
/// </summary>
public sealed class HeaderPresenceTests
{
    public static TheoryData<string, string> EveryJudgedHeader => new()
    {
        { "Retry-After", nameof(HeaderPresence.RetryAfter) },
        { "retry-after", nameof(HeaderPresence.RetryAfter) },
        { "retry-after-ms", nameof(HeaderPresence.RetryAfterMs) },
        { "x-ms-retry-after-ms", nameof(HeaderPresence.XMsRetryAfterMs) },
        { "RateLimit", nameof(HeaderPresence.Quota) },
        { "RateLimit-Reset", nameof(HeaderPresence.Quota) },
        { "X-RateLimit-Reset", nameof(HeaderPresence.Quota) },
        { "x-ratelimit-reset-requests", nameof(HeaderPresence.Quota) },
        { "x-ratelimit-reset-tokens", nameof(HeaderPresence.Quota) },
        { "anthropic-ratelimit-requests-reset", nameof(HeaderPresence.Quota) },
        { "anthropic-ratelimit-tokens-reset", nameof(HeaderPresence.Quota) },
        { "anthropic-ratelimit-input-tokens-reset", nameof(HeaderPresence.Quota) },
        { "anthropic-ratelimit-output-tokens-reset", nameof(HeaderPresence.Quota) },
        { "X-Rate-Limit-Reset", nameof(HeaderPresence.Quota) },
        { "X-RateLimit-Reset-After", nameof(HeaderPresence.Quota) },
        { "RateLimit-Remaining", nameof(HeaderPresence.Remaining) },
        { "x-ratelimit-remaining", nameof(HeaderPresence.Remaining) },
        { "X-Rate-Limit-Remaining", nameof(HeaderPresence.Remaining) },
        { "x-ratelimit-remaining-requests", nameof(HeaderPresence.Remaining) },
        { "x-ratelimit-remaining-tokens", nameof(HeaderPresence.Remaining) },
        { "anthropic-ratelimit-requests-remaining", nameof(HeaderPresence.Remaining) },
        { "anthropic-ratelimit-tokens-remaining", nameof(HeaderPresence.Remaining) },
        { "anthropic-ratelimit-input-tokens-remaining", nameof(HeaderPresence.Remaining) },
        { "anthropic-ratelimit-output-tokens-remaining", nameof(HeaderPresence.Remaining) },
        { "x-ratelimit-resource", nameof(HeaderPresence.Resource) },
        { "X-Should-Retry", nameof(HeaderPresence.Verdict) },
        { "stripe-should-retry", nameof(HeaderPresence.Verdict) },
    };

    [Theory]
    [MemberData(nameof(EveryJudgedHeader))]
    public void Of_FindsEachJudgedHeader_WhateverItsCase_AndNothingElse(string header, string flag)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Date", "Tue, 01 Dec 2026 12:00:00 GMT");
        response.Headers.TryAddWithoutValidation(header, "1");

        var presence = HeaderPresence.Of(response.Headers.NonValidated);

        var found = new Dictionary<string, bool>
        {
            [nameof(HeaderPresence.RetryAfter)] = presence.RetryAfter,
            [nameof(HeaderPresence.RetryAfterMs)] = presence.RetryAfterMs,
            [nameof(HeaderPresence.XMsRetryAfterMs)] = presence.XMsRetryAfterMs,
            [nameof(HeaderPresence.Quota)] = presence.Quota,
            [nameof(HeaderPresence.Resource)] = presence.Resource,
            [nameof(HeaderPresence.Verdict)] = presence.Verdict,
            [nameof(HeaderPresence.Remaining)] = presence.Remaining,
        };
        Assert.Equal([flag], found.Where(f => f.Value).Select(f => f.Key));
    }

    [Fact]
    public void Of_FindsEveryRemainingCountTheQuotaReaderReads()
    {
        // A 503 is read as a spent quota only when the pass found a remaining count: one the reader learns to read must
        // be found here too.
        Assert.All(RateLimitHeaders.RemainingHeaderNames, name =>
        {
            using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.TryAddWithoutValidation(name, "0");

            Assert.True(HeaderPresence.Of(response.Headers.NonValidated).Remaining, name);
            Assert.True(RateLimitHeaders.IsExhausted(response), name);
        });
    }

    [Theory]
    [InlineData("Retry-After", true, true)]
    [InlineData("RateLimit-Reset", true, false)]
    [InlineData("x-ratelimit-resource", false, false)]
    [InlineData("X-Should-Retry", false, false)]
    public void WaitAndExplicit_CoverTheExplicitWaitsAndTheQuotaResets(string header, bool wait, bool isExplicit)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, "1");

        var presence = HeaderPresence.Of(response.Headers.NonValidated);

        Assert.Equal(wait, presence.Wait);
        Assert.Equal(isExplicit, presence.Explicit);
    }

    [Theory]
    [InlineData("X-RateLimit-Limit")]
    [InlineData("x-ratelimit-limit-requests")]
    [InlineData("Retry-After-Seconds")]
    [InlineData("Server")]
    public void Of_IgnoresHeadersThatAreNoneOfThem(string header)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation(header, "0");

        Assert.Equal(default, HeaderPresence.Of(response.Headers.NonValidated));
    }

    [Fact]
    public void Of_AResponseWithoutHeaders_FindsNothing()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Equal(default, HeaderPresence.Of(response.Headers.NonValidated));
    }
}
