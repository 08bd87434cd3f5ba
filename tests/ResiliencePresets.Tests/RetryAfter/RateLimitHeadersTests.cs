using System.Globalization;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.RetryAfter;

public sealed class RateLimitHeadersTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("\"default\";r=50;t=30", 50, 30, "default")]
    [InlineData("\"burst\";r=5;t=1, \"daily\";r=900;t=3600", 900, 3600, "daily")]
    [InlineData("limit=100, remaining=20, reset=10", 20, 10, null)]
    [InlineData("\"a\";r=100;t=10, \"b\";r=10;t=5", 10, 5, "b")]
    [InlineData("\"a\";r=0;t=5, \"b\";r=10;t=100", 0, 5, "a")]
    [InlineData("\"a\";r=0;t=5, \"b\";r=0;t=9", 0, 9, "b")]
    [InlineData("\"a\";r=50;t=1500000000", 50, 1500000000, "a")]
    [InlineData("default;r=3;t=4", 3, 4, "default")]
    [InlineData("\"a\";\"b\";r=3;t=4", 3, 4, "a")]
    [InlineData("r=3;\"late\";t=4", 3, 4, null)]
    [InlineData("\"\";r=3;t=4", 3, 4, null)]
    public void TryReadQuota_RateLimitField_TakesTheMostConstrainingPolicy(string value, long remaining, long resetSeconds, string? policy)
    {
        var quota = Read(("RateLimit", value));

        Assert.Equal(new QuotaReading(remaining, TimeSpan.FromSeconds(resetSeconds), "RateLimit", Policy: policy), quota);
    }

    // The client may send again only when every spent quota has reset; of two that reset together, the first read
    // names the wait.
    [Theory]
    [InlineData("5", "5", "RateLimit-Reset")]
    [InlineData("5", "9", "X-RateLimit-Reset")]
    [InlineData("9", "5", "RateLimit-Reset")]
    public void TryReadQuota_SeveralSpentQuotas_TheOneThatResetsLastDecides(string reset, string xReset, string header)
    {
        var quota = Read(("RateLimit-Remaining", "0"), ("RateLimit-Reset", reset), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", xReset));

        Assert.Equal(header, quota?.Header);
        Assert.Equal(TimeSpan.FromSeconds(Math.Max(int.Parse(reset, CultureInfo.InvariantCulture), int.Parse(xReset, CultureInfo.InvariantCulture))), quota?.ResetIn);
    }

    [Fact]
    public void TryReadQuota_RateLimitResetAboveTheEpochThreshold_IsDeltaSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(1_500_000_000), Read(("RateLimit-Remaining", "1"), ("RateLimit-Reset", "1500000000"))?.ResetIn);
    }

    [Fact]
    public void IsExhausted_UnreadableRemaining_IsNotZero()
    {
        using var response = HttpMessages.Response(429, ("RateLimit", "\"default\";r=abc;t=30"));

        Assert.False(RateLimitHeaders.IsExhausted(response));
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining")]
    [InlineData("RateLimit-Remaining")]
    [InlineData("x-ratelimit-remaining-requests")]
    [InlineData("x-ratelimit-remaining-tokens")]
    [InlineData("anthropic-ratelimit-requests-remaining")]
    [InlineData("anthropic-ratelimit-tokens-remaining")]
    [InlineData("anthropic-ratelimit-input-tokens-remaining")]
    [InlineData("anthropic-ratelimit-output-tokens-remaining")]
    public void IsExhausted_AnyRemainingOfZero_IsExhaustedWithoutAReset(string name)
    {
        using var spent = HttpMessages.Response(403, (name, "0"));
        using var left = HttpMessages.Response(403, (name, "1"));

        Assert.True(RateLimitHeaders.IsExhausted(spent));
        Assert.False(RateLimitHeaders.IsExhausted(left));
    }

    [Fact]
    public void TryReadQuota_RemainingAndResetPair_IsRead()
    {
        Assert.Equal(new QuotaReading(7, TimeSpan.FromSeconds(12), "RateLimit-Reset"), Read(("RateLimit-Remaining", "7"), ("RateLimit-Reset", "12")));
    }

    [Fact]
    public void TryReadQuota_GitHubHeaders_AreTheRemainingUntilTheEpochReset()
    {
        var quota = Read(
            ("x-ratelimit-limit", "5000"),
            ("x-ratelimit-remaining", "3"),
            ("x-ratelimit-reset", Epoch(Now.AddSeconds(42))),
            ("x-ratelimit-used", "4997"),
            ("x-ratelimit-resource", "core"));

        Assert.Equal(new QuotaReading(3, TimeSpan.FromSeconds(42), "X-RateLimit-Reset"), quota);
    }

    [Theory]
    [InlineData("x-ratelimit-remaining-requests", "59", "x-ratelimit-reset-requests", "1s", 59, 10_000_000L, false)]
    [InlineData("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "6m0s", 0, 3_600_000_000L, false)]
    [InlineData("x-ratelimit-remaining-requests", "4999", "x-ratelimit-reset-requests", "12ms", 4999, 120_000L, false)]
    [InlineData("x-ratelimit-remaining-requests", "1", "x-ratelimit-reset-requests", "1h2m3.5s", 1, 37_235_000_000L, false)]
    [InlineData("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "59.999s", 0, 599_990_000L, true)]
    [InlineData("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "0.5s", 0, 5_000_000L, true)]
    [InlineData("anthropic-ratelimit-requests-remaining", "9", "anthropic-ratelimit-requests-reset", "2026-11-23T12:00:30Z", 9, 300_000_000L, false)]
    [InlineData("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2026-11-23T13:00:01.5+01:00", 0, 15_000_000L, false)]
    [InlineData("anthropic-ratelimit-tokens-remaining", "0", "anthropic-ratelimit-tokens-reset", "2026-11-23T12:00:02.25Z", 0, 22_500_000L, true)]
    [InlineData("anthropic-ratelimit-input-tokens-remaining", "0", "anthropic-ratelimit-input-tokens-reset", "2026-11-23T07:00:03-05:00", 0, 30_000_000L, true)]
    [InlineData("anthropic-ratelimit-output-tokens-remaining", "0", "anthropic-ratelimit-output-tokens-reset", "2026-11-23T12:00:04.000000001Z", 0, 40_000_001L, true)]
    public void TryReadQuota_VendorPair_IsTheRemainingUntilTheReset(string remainingName, string remaining, string resetName, string reset, long expectedRemaining, long ticks, bool tokens)
    {
        var quota = Read((remainingName, remaining), (resetName, reset));

        Assert.Equal(new QuotaReading(expectedRemaining, TimeSpan.FromTicks(ticks), resetName, tokens), quota);
    }

    [Theory]
    [InlineData("x-ratelimit-remaining-tokens", "150000", "x-ratelimit-reset-tokens", "6m0s")]
    [InlineData("anthropic-ratelimit-tokens-remaining", "80000", "anthropic-ratelimit-tokens-reset", "2026-11-23T12:01:00Z")]
    public void TryReadQuota_TokenQuotaWithTokensLeft_PacesNothing(string remainingName, string remaining, string resetName, string reset)
    {
        Assert.Null(Read((remainingName, remaining), (resetName, reset)));
    }

    [Fact]
    public void TryReadQuota_RequestsLeftButTokensSpent_IsTheSpentTokenQuota()
    {
        var quota = Read(
            ("x-ratelimit-limit-requests", "500"),
            ("x-ratelimit-remaining-requests", "499"),
            ("x-ratelimit-reset-requests", "120ms"),
            ("x-ratelimit-limit-tokens", "30000"),
            ("x-ratelimit-remaining-tokens", "0"),
            ("x-ratelimit-reset-tokens", "6m0s"));

        Assert.Equal(new QuotaReading(0, TimeSpan.FromMinutes(6), "x-ratelimit-reset-tokens", CountsTokens: true), quota);
    }

    [Fact]
    public void TryReadQuota_SeveralSpent_IsTheOneThatResetsLast()
    {
        var quota = Read(
            ("anthropic-ratelimit-requests-remaining", "0"),
            ("anthropic-ratelimit-requests-reset", "2026-11-23T12:00:05Z"),
            ("anthropic-ratelimit-input-tokens-remaining", "0"),
            ("anthropic-ratelimit-input-tokens-reset", "2026-11-23T12:00:20Z"),
            ("anthropic-ratelimit-output-tokens-remaining", "0"),
            ("anthropic-ratelimit-output-tokens-reset", "2026-11-23T12:00:10Z"));

        Assert.Equal(new QuotaReading(0, TimeSpan.FromSeconds(20), "anthropic-ratelimit-input-tokens-reset", CountsTokens: true), quota);
    }

    [Fact]
    public void TryReadQuota_TwoFamiliesWithRequestsLeft_IsTheOneThatPacesSlowest()
    {
        // 10 requests in 5 s (one per 500 ms) paces slower than 100 in 10 s (one per 100 ms).
        var quota = Read(("RateLimit", "\"default\";r=100;t=10"), ("x-ratelimit-remaining-requests", "10"), ("x-ratelimit-reset-requests", "5s"));

        Assert.Equal(new QuotaReading(10, TimeSpan.FromSeconds(5), "x-ratelimit-reset-requests"), quota);
    }

    [Fact]
    public void TryReadQuota_EquallyTight_IsTheOneReadFirst()
    {
        var quota = Read(("RateLimit-Remaining", "10"), ("RateLimit-Reset", "5"), ("x-ratelimit-remaining-requests", "10"), ("x-ratelimit-reset-requests", "5s"));

        Assert.Equal("RateLimit-Reset", quota?.Header);
    }

    [Fact]
    public void TryReadQuota_DemoChatCompletionsRejection_IsTheSpentRequestQuota()
    {
        // As ResiliencePresets.Demo's embedded chat endpoint (and OpenAI) answers over its request quota.
        var quota = Read(("retry-after-ms", "734"), ("x-ratelimit-limit-requests", "20"), ("x-ratelimit-remaining-requests", "0"), ("x-ratelimit-reset-requests", "734ms"));

        Assert.Equal(new QuotaReading(0, TimeSpan.FromMilliseconds(734), "x-ratelimit-reset-requests"), quota);
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining", "3")]
    [InlineData("X-RateLimit-Reset", "10")]
    [InlineData("RateLimit", "\"default\";q=100")]
    [InlineData("RateLimit-Remaining", "many")]
    [InlineData("RateLimit", "\"default\";r=abc;t=30")]
    [InlineData("x-ratelimit-remaining-requests", "0")]
    [InlineData("x-ratelimit-reset-requests", "1s")]
    public void TryReadQuota_IncompleteOrUnreadable_ReadsNothing(string name, string value)
    {
        Assert.Null(Read((name, value)));
    }

    [Theory]
    [InlineData("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "0s")]
    [InlineData("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "-1s")]
    [InlineData("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1")]
    [InlineData("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "99999999999999999h")]
    [InlineData("x-ratelimit-remaining-requests", "-1", "x-ratelimit-reset-requests", "1s")]
    [InlineData("x-ratelimit-remaining-requests", "99999999999999999999", "x-ratelimit-reset-requests", "1s")]
    [InlineData("x-ratelimit-remaining-tokens", "0", "x-ratelimit-reset-tokens", "soon")]
    [InlineData("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2026-11-23T11:59:59Z")]
    [InlineData("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2026-11-23T12:00:00Z")]
    [InlineData("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "30")]
    [InlineData("anthropic-ratelimit-requests-remaining", "0", "anthropic-ratelimit-requests-reset", "2026-02-30T12:00:00Z")]
    public void TryReadQuota_VendorResetThatIsNotAFutureMoment_ReadsNothing(string remainingName, string remaining, string resetName, string reset)
    {
        Assert.Null(Read((remainingName, remaining), (resetName, reset)));
    }

    [Fact]
    public void TryReadQuota_SeveralValues_ReadsTheFirstOfEach()
    {
        using var response = HttpMessages.Response(200);
        response.Headers.TryAddWithoutValidation("x-ratelimit-remaining-requests", ["2", "0"]);
        response.Headers.TryAddWithoutValidation("x-ratelimit-reset-requests", ["4s", "1h"]);

        Assert.True(RateLimitHeaders.TryReadQuota(response, Now, out var quota));
        Assert.Equal(new QuotaReading(2, TimeSpan.FromSeconds(4), "x-ratelimit-reset-requests"), quota);
    }

    [Fact]
    public void TryReadQuota_ResetPastTheEndOfTime_IsAsFarAsItGoes()
    {
        var quota = Read(("anthropic-ratelimit-requests-remaining", "0"), ("anthropic-ratelimit-requests-reset", "9999-12-31T23:59:59Z"));

        Assert.Equal(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero) - Now, quota?.ResetIn);
    }

    private static string Epoch(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static QuotaReading? Read(params (string Name, string Value)[] headers)
    {
        using var response = HttpMessages.Response(200, headers);
        return RateLimitHeaders.TryReadQuota(response, Now, out var quota) ? quota : null;
    }
}
