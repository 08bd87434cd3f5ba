using System.Globalization;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.RetryAfter;

/// <summary>
/// Responses as the APIs people call most send them on a rate limit and on success (the header names and value shapes
/// of each vendor's documentation, with times moved to the test's clock), and the wait and the quota read from them.
/// </summary>
public sealed class VendorHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly long NowUnix = Now.ToUnixTimeSeconds();

    /// <summary>Each row: the response, the wait read from it (or none), the quota read from it (or none).</summary>
    public static TheoryData<string, int, string[], double?, string?, long?, double?, string?> Responses => new()
    {
        // GitHub: the primary limit spent is a 403 (or 429) with x-ratelimit-remaining 0 and its reset in epoch seconds.
        { "github primary, spent", 403, ["x-ratelimit-limit", "60", "x-ratelimit-remaining", "0", "x-ratelimit-used", "60", "x-ratelimit-reset", Unix(1800), "x-ratelimit-resource", "core"], 1800, "X-RateLimit-Reset", 0, 1800, "X-RateLimit-Reset" },
        { "github secondary", 403, ["retry-after", "60", "x-ratelimit-remaining", "4990", "x-ratelimit-reset", Unix(3000)], 60, "Retry-After", 4990, 3000, "X-RateLimit-Reset" },
        { "github success", 200, ["x-ratelimit-limit", "5000", "x-ratelimit-remaining", "4999", "x-ratelimit-reset", Unix(3600)], null, null, 4999, 3600, "X-RateLimit-Reset" },

        // OpenAI: Go durations for the resets; retry-after-ms and retry-after on a 429.
        { "openai 429", 429, ["retry-after-ms", "1000", "retry-after", "1", "x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1s", "x-ratelimit-remaining-tokens", "149984", "x-ratelimit-reset-tokens", "6m0s"], 1, "retry-after-ms", 0, 1, "x-ratelimit-reset-requests" },
        { "openai success", 200, ["x-ratelimit-remaining-requests", "4999", "x-ratelimit-reset-requests", "12ms", "x-ratelimit-remaining-tokens", "159976", "x-ratelimit-reset-tokens", "9ms"], null, null, 4999, 0.012, "x-ratelimit-reset-requests" },

        // Anthropic: RFC 3339 resets, retry-after in seconds on a 429.
        { "anthropic 429", 429, ["retry-after", "30", "anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", Iso(30), "anthropic-ratelimit-tokens-remaining", "12000", "anthropic-ratelimit-tokens-reset", Iso(40)], 30, "Retry-After", 0, 30, "anthropic-ratelimit-requests-reset" },

        // Azure: milliseconds, and ARM's x-ms-ratelimit-remaining-* counts, which have no reset and so are no quota.
        { "azure openai 429", 429, ["retry-after-ms", "37000", "retry-after", "37", "x-ratelimit-remaining-requests", "0", "x-ratelimit-remaining-tokens", "0"], 37, "retry-after-ms", null, null, null },
        { "azure arm 429", 429, ["x-ms-retry-after-ms", "17000", "retry-after", "17", "x-ms-ratelimit-remaining-subscription-reads", "0"], 17, "x-ms-retry-after-ms", null, null, null },
        { "azure arm success", 200, ["x-ms-ratelimit-remaining-subscription-reads", "11999", "x-ms-ratelimit-remaining-resource", "Microsoft.Compute/GetVMScaleSet3Min;197"], null, null, null, null, null },

        // Stripe: a 429 without a wait; its verdict header is the classifier's business.
        { "stripe 429", 429, ["Stripe-Should-Retry", "true"], null, null, null, null, null },

        // Discord: X-RateLimit-Reset in epoch seconds with a fraction, X-RateLimit-Reset-After in seconds with one.
        { "discord 429", 429, ["Retry-After", "65", "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Unix(64.57), "X-RateLimit-Reset-After", "64.57", "X-RateLimit-Bucket", "abcd1234", "X-RateLimit-Scope", "user"], 65, "Retry-After", 0, 64.57, "X-RateLimit-Reset-After" },
        { "discord global 429", 429, ["Retry-After", "65", "X-RateLimit-Global", "true", "X-RateLimit-Scope", "global"], 65, "Retry-After", null, null, null },
        { "discord spent on success", 200, ["X-RateLimit-Limit", "5", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Unix(1.25), "X-RateLimit-Reset-After", "1.25", "X-RateLimit-Bucket", "abcd1234"], 1.25, "X-RateLimit-Reset-After", 0, 1.25, "X-RateLimit-Reset-After" },
        { "discord epoch only", 200, ["X-RateLimit-Remaining", "0", "X-RateLimit-Reset", Unix(2.5)], 2.5, "X-RateLimit-Reset", 0, 2.5, "X-RateLimit-Reset" },

        // Reddit: a remaining count with a fraction, the reset in seconds to the end of the window.
        { "reddit success", 200, ["x-ratelimit-used", "2", "x-ratelimit-remaining", "598.0", "x-ratelimit-reset", "412"], null, null, 598, 412, "X-RateLimit-Reset" },
        { "reddit spent", 200, ["x-ratelimit-used", "600", "x-ratelimit-remaining", "0.0", "x-ratelimit-reset", "412"], 412, "X-RateLimit-Reset", 0, 412, "X-RateLimit-Reset" },

        // Shopify: a decimal Retry-After, and a leaky bucket's fill level that has no reset.
        { "shopify 429", 429, ["Retry-After", "2.0", "X-Shopify-Shop-Api-Call-Limit", "40/40"], 2, "Retry-After", null, null, null },
        { "shopify success", 200, ["X-Shopify-Shop-Api-Call-Limit", "32/40"], null, null, null, null, null },

        // X: x-rate-limit-* with the reset in epoch seconds.
        { "x 429", 429, ["x-rate-limit-limit", "900", "x-rate-limit-remaining", "0", "x-rate-limit-reset", Unix(600)], 600, "X-Rate-Limit-Reset", 0, 600, "X-Rate-Limit-Reset" },
        { "x success", 200, ["x-rate-limit-limit", "900", "x-rate-limit-remaining", "847", "x-rate-limit-reset", Unix(900)], null, null, 847, 900, "X-Rate-Limit-Reset" },

        // Okta: the same family, capitalised, epoch seconds.
        { "okta 429", 429, ["X-Rate-Limit-Limit", "1200", "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", Unix(45)], 45, "X-Rate-Limit-Reset", 0, 45, "X-Rate-Limit-Reset" },
        { "okta success", 200, ["X-Rate-Limit-Limit", "1200", "X-Rate-Limit-Remaining", "1199", "X-Rate-Limit-Reset", Unix(60)], null, null, 1199, 60, "X-Rate-Limit-Reset" },

        // Slack: Retry-After on a 429, nothing else.
        { "slack 429", 429, ["Retry-After", "30"], 30, "Retry-After", null, null, null },

        // Jira: Retry-After decides; X-RateLimit-Reset is an ISO 8601 instant without seconds, no number, so no quota.
        { "jira 429", 429, ["Retry-After", "5", "X-RateLimit-Limit", "350", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "2026-11-23T12:01Z", "RateLimit-Reason", "jira-burst-based"], 5, "Retry-After", null, null, null },

        // HubSpot: remaining counts and the window's length, no reset, so no quota; Retry-After on a 429.
        { "hubspot 429", 429, ["Retry-After", "10", "X-HubSpot-RateLimit-Interval-Milliseconds", "10000", "X-HubSpot-RateLimit-Max", "100", "X-HubSpot-RateLimit-Remaining", "0"], 10, "Retry-After", null, null, null },

        // Google APIs: a 429 RESOURCE_EXHAUSTED, with Retry-After only sometimes.
        { "google 429", 429, [], null, null, null, null, null },
        { "google 429 with wait", 429, ["Retry-After", "30"], 30, "Retry-After", null, null, null },

        // Cloudflare: the IETF RateLimit field on every response, retry-after on a 429.
        { "cloudflare 429", 429, ["Ratelimit", "\"default\";r=0;t=30", "Ratelimit-Policy", "\"burst\";q=1200;w=300", "retry-after", "30"], 30, "Retry-After", 0, 30, "RateLimit" },
        { "cloudflare success", 200, ["Ratelimit", "\"default\";r=50;t=30", "Ratelimit-Policy", "\"burst\";q=1200;w=300"], null, null, 50, 30, "RateLimit" },

        // GitLab: RateLimit-Reset in epoch seconds (not the IETF draft's delta), RateLimit-ResetTime an HTTP-date.
        { "gitlab 429", 429, ["RateLimit-Limit", "600", "RateLimit-Observed", "600", "RateLimit-Remaining", "0", "RateLimit-Reset", Unix(60), "RateLimit-ResetTime", "Mon, 23 Nov 2026 12:01:00 GMT", "Retry-After", "60"], 60, "Retry-After", 0, 60, "RateLimit-Reset" },
        { "gitlab spent, no retry-after", 429, ["RateLimit-Remaining", "0", "RateLimit-Reset", Unix(60)], 60, "RateLimit-Reset", 0, 60, "RateLimit-Reset" },
        { "gitlab success", 200, ["RateLimit-Limit", "600", "RateLimit-Observed", "6", "RateLimit-Remaining", "594", "RateLimit-Reset", Unix(60)], null, null, 594, 60, "RateLimit-Reset" },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public void TryReadAndTryReadQuota_VendorResponse_ReadAsTheVendorMeansIt(string vendor, int status, string[] headers, double? waitSeconds, string? waitHeader, long? remaining, double? resetSeconds, string? quotaHeader)
    {
        using var response = HttpMessages.Response(status, Pairs(headers));

        var hasWait = RetryAfterReader.TryRead(response, Now, out var wait);
        var hasQuota = RateLimitHeaders.TryReadQuota(response, Now, out var quota);

        Assert.True(waitSeconds is not null == hasWait, $"{vendor}: read {(hasWait ? $"{wait.Delay} from {wait.HeaderName}" : "no wait")}");
        if (waitSeconds is double seconds)
        {
            Assert.Equal((Seconds(seconds), waitHeader), (wait.Delay, wait.HeaderName));
        }

        Assert.True(remaining is not null == hasQuota, $"{vendor}: read {(hasQuota ? quota.ToString() : "no quota")}");
        if (remaining is long left)
        {
            Assert.Equal((left, Seconds(resetSeconds!.Value), quotaHeader), (quota.Remaining, quota.ResetIn, quota.Header));
        }
    }

    [Theory]
    [InlineData("github primary 403", "x-ratelimit-remaining", "0")]
    [InlineData("github secondary 403", "retry-after", "60")]
    [InlineData("reddit-style decimal 403", "x-ratelimit-remaining", "0.0")]
    [InlineData("okta-style 403", "X-Rate-Limit-Remaining", "0")]
    public void EffectiveStatusCode_RateLimited403_IsA429(string vendor, string header, string value)
    {
        using var response = HttpMessages.Response(403, (header, value));

        Assert.Equal((vendor, 429), (vendor, StatusCodeClassifier.EffectiveStatusCode(response)));
    }

    [Theory]
    [InlineData("X-RateLimit-Reset", "1470173023.123")]
    [InlineData("X-Rate-Limit-Reset", "1609459200")]
    [InlineData("RateLimit-Reset", "1563325137")]
    public void TryRead_DocumentedEpochExamples_AreTheTimeUntilThen(string header, string value)
    {
        var then = DateTimeOffset.UnixEpoch.AddTicks((long)(decimal.Parse(value, CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
        using var response = HttpMessages.Response(429, (header, value));

        Assert.True(RetryAfterReader.TryRead(response, then.AddSeconds(-30), out var wait));
        Assert.Equal((TimeSpan.FromSeconds(30), header), (wait.Delay, wait.HeaderName));
    }

    // The documented values have at most a few decimals: exact in ticks, whatever double makes of them.
    private static TimeSpan Seconds(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    private static string Unix(double secondsAhead)
        => (NowUnix + (decimal)secondsAhead).ToString(CultureInfo.InvariantCulture);

    private static string Iso(int secondsAhead)
        => Now.AddSeconds(secondsAhead).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static (string Name, string Value)[] Pairs(string[] flat)
        => [.. Enumerable.Range(0, flat.Length / 2).Select(i => (flat[2 * i], flat[(2 * i) + 1]))];
}
