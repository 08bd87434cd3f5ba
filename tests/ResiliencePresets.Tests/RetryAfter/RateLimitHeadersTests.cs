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
    [InlineData("\"\";r=3;t=4", 3, 4, null)]
    public void TryReadQuota_RateLimitField_TakesTheMostConstrainingPolicy(string value, long remaining, long resetSeconds, string? policy)
    {
        var quota = Read(("RateLimit", value));

        Assert.Equal(new QuotaReading(remaining, TimeSpan.FromSeconds(resetSeconds), "RateLimit", Policy: policy), quota);
    }

    // RFC 9651 §3.3.3: a string may hold any printable ASCII, ',' ';' and '=' among it, and escapes only '"' and '\'.
    [Theory]
    [InlineData("\"a,b\";r=0;t=30", 0, 30, "a,b")]
    [InlineData("\"x;r=0\";r=5;t=10", 5, 10, "x;r=0")]
    [InlineData("\"t=1\";r=2;t=20", 2, 20, "t=1")]
    [InlineData("\"q\\\"uote\";r=1;t=2", 1, 2, "q\"uote")]
    [InlineData("\"back\\\\slash\";r=1;t=2", 1, 2, "back\\slash")]
    [InlineData("\"a,b\";r=9;t=9, \"c\";r=0;t=5", 0, 5, "c")]
    [InlineData("\"p,r=0,q\";r=50;t=60", 50, 60, "p,r=0,q")]
    [InlineData("\"d\";r=1;t=2;n=\"x,r=0;t=9\"", 1, 2, "d")]
    public void TryReadQuota_QuotedPolicyNameWithSeparators_IsOnePolicyWithItsOwnValues(string value, long remaining, long resetSeconds, string policy)
    {
        Assert.Equal(new QuotaReading(remaining, TimeSpan.FromSeconds(resetSeconds), "RateLimit", Policy: policy), Read(("RateLimit", value)));
    }

    // Split naively, the policy's name gave a second member "r=0": the field read as exhausted, and a 403 as a rate limit.
    [Fact]
    public void IsExhausted_PolicyNamedWithACommaAndR0_IsNotExhausted()
    {
        using var response = HttpMessages.Response(403, ("RateLimit", "\"p,r=0,q\";r=50;t=60"));

        Assert.False(RateLimitHeaders.IsExhausted(response));
    }

    // Each bad member would decide if it were read (r=0 wins over r=7); the field's other policies still count.
    [Theory]
    [InlineData("\"a\";\"b\";r=0;t=99")]
    [InlineData("r=0;\"late\";t=99")]
    [InlineData("\"a\" ;r=0;t=99")]
    [InlineData("\"a\";r =0;t=99")]
    [InlineData("\"a\";r= 0;t=99")]
    [InlineData("\"a\";\tr=0;t=99")]
    [InlineData("\"a\";R=0;t=99")]
    [InlineData("\"a\";r=0;t=99;")]
    [InlineData("\"a\";r=0;t=1234567890123456")]
    [InlineData("\"a\";r=0;t=99;x=1.2345")]
    [InlineData("\"füü\";r=0;t=99")]
    [InlineData("\"a\\,\";r=0;t=99")]
    [InlineData("\"a\";r=0;t=99 junk")]
    [InlineData("(\"a\" \"b\");r=0;t=99")]
    [InlineData("")]
    public void TryReadQuota_MemberThatDoesNotParse_IsSkippedAndTheOthersCount(string bad)
    {
        var expected = new QuotaReading(7, TimeSpan.FromSeconds(8), "RateLimit", Policy: "c");

        Assert.Equal(expected, Read(("RateLimit", $"{bad}, \"c\";r=7;t=8")));
        Assert.Equal(expected, Read(("RateLimit", $"\"c\";r=7;t=8, {bad}")));
    }

    [Theory]
    [InlineData("\"a\";r=-1;t=30")]
    [InlineData("\"a\";r=1;t=-30")]
    [InlineData("\"a\";r=1.0;t=30")]
    [InlineData("\"a\";r=1;t=1.5")]
    [InlineData("\"a\";r=\"1\";t=30")]
    [InlineData("\"a\";r;t=30")]
    [InlineData("\"a\";r=?1;t=30")]
    public void TryReadQuota_RemainingOrResetThatIsNotANonNegativeInteger_IsNoQuota(string value)
    {
        Assert.Null(Read(("RateLimit", value)));
    }

    // RFC 9651 §4.2.3.2 keeps the last value of a repeated parameter (param-list.json in httpwg/structured-field-tests).
    [Theory]
    [InlineData("\"a\";r=0;t=30;r=5", true, false)]
    [InlineData("\"a\";r=5;t=30;r=0", true, true)]
    [InlineData("\"a\";r=0;t=30;r=x", false, false)]
    public void IsExhausted_RepeatedParameter_IsItsLastValue(string value, bool isQuota, bool exhausted)
    {
        using var response = HttpMessages.Response(403, ("RateLimit", value));

        Assert.Equal(exhausted, RateLimitHeaders.IsExhausted(response));
        Assert.Equal(isQuota, Read(("RateLimit", value)) is not null);
    }

    [Fact]
    public void TryReadQuota_NegativeZero_IsZero()
    {
        Assert.Equal(new QuotaReading(0, TimeSpan.FromSeconds(30), "RateLimit", Policy: "a"), Read(("RateLimit", "\"a\";r=-0;t=30")));
    }

    [Fact]
    public void TryReadQuota_UppercaseDictionaryKey_IsNoKey()
    {
        Assert.Null(Read(("RateLimit", "limit=100, Remaining=0, reset=30")));
        Assert.Equal(new QuotaReading(0, TimeSpan.FromSeconds(30), "RateLimit"), Read(("RateLimit", "limit=100, remaining=0, reset=30")));
    }

    [Fact]
    public void TryReadQuota_EachFieldLine_IsReadOnItsOwn()
    {
        using var response = HttpMessages.Response(200);
        response.Headers.TryAddWithoutValidation("RateLimit", ["\"open;r=0;t=99", "\"c\";r=7;t=8"]);

        Assert.True(RateLimitHeaders.TryReadQuota(response, Now, out var quota));
        Assert.Equal(new QuotaReading(7, TimeSpan.FromSeconds(8), "RateLimit", Policy: "c"), quota);
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

    // GitLab sends RateLimit-Reset as a Unix time; a delta that large would be over 31 years, past any useful wait.
    [Fact]
    public void TryReadQuota_RateLimitResetAboveTheEpochThreshold_IsAUnixTime()
    {
        var reset = Now.AddSeconds(60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        Assert.Equal(TimeSpan.FromSeconds(60), Read(("RateLimit-Remaining", "1"), ("RateLimit-Reset", reset))?.ResetIn);
    }

    [Fact]
    public void TryReadQuota_RateLimitResetAtTheEpochThreshold_IsStillDeltaSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(1_000_000_000), Read(("RateLimit-Remaining", "1"), ("RateLimit-Reset", "1000000000"))?.ResetIn);
    }

    [Theory]
    [InlineData("598.0", 598)]
    [InlineData("598.9", 598)]
    [InlineData("0.5", 0)]
    [InlineData(" 7 ", 7)]
    [InlineData("9223372036854775807.9", long.MaxValue)]
    public void TryReadQuota_RemainingWithAFraction_IsRoundedDown(string remaining, long expected)
    {
        Assert.Equal(expected, Read(("X-RateLimit-Remaining", remaining), ("X-RateLimit-Reset", "60"))?.Remaining);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1e3")]
    [InlineData("1,5")]
    [InlineData("NaN")]
    [InlineData("1.2.3")]
    [InlineData("")]
    [InlineData("999999999999999999999999999999")]
    [InlineData("9223372036854775808")]
    public void TryReadQuota_RemainingThatIsNotANumber_IsNoQuota(string remaining)
    {
        Assert.Null(Read(("X-RateLimit-Remaining", remaining), ("X-RateLimit-Reset", "60")));
    }

    [Theory]
    [InlineData("64.57", 645_700_000)]
    [InlineData("0.00000001", 1)]
    [InlineData("1", 10_000_000)]
    public void TryReadQuota_ResetWithAFraction_IsKeptToTheTickRoundedUp(string reset, long ticks)
    {
        Assert.Equal(TimeSpan.FromTicks(ticks), Read(("RateLimit-Remaining", "3"), ("RateLimit-Reset", reset))?.ResetIn);
    }

    [Fact]
    public void TryReadQuota_DiscordResetAfterBesideItsEpoch_WinsOverTheEpoch()
    {
        // The server's clock is 2 s ahead of ours: its epoch names 66.57 s from our now, its delta 64.57 s.
        var epoch = (Now.ToUnixTimeSeconds() + 66.57m).ToString(CultureInfo.InvariantCulture);

        var quota = Read(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", epoch), ("X-RateLimit-Reset-After", "64.57"));

        Assert.Equal(new QuotaReading(0, TimeSpan.FromTicks(645_700_000), "X-RateLimit-Reset-After"), quota);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("-1")]
    public void TryReadQuota_DiscordResetAfterUnusable_FallsBackToTheEpoch(string after)
    {
        var epoch = Now.AddSeconds(5).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        var quota = Read(("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", epoch), ("X-RateLimit-Reset-After", after));

        Assert.Equal(new QuotaReading(0, TimeSpan.FromSeconds(5), "X-RateLimit-Reset"), quota);
    }

    [Fact]
    public void TryReadQuota_ResetAfterIsNeverAUnixTime()
    {
        Assert.Equal(TimeSpan.FromSeconds(1_500_000_000), Read(("X-RateLimit-Remaining", "1"), ("X-RateLimit-Reset-After", "1500000000"))?.ResetIn);
    }

    [Theory]
    [InlineData("X-Rate-Limit-Remaining", "X-Rate-Limit-Reset")]
    [InlineData("x-rate-limit-remaining", "x-rate-limit-reset")]
    public void TryReadQuota_XAndOktaFamily_IsReadWithItsEpochReset(string remainingName, string resetName)
    {
        var reset = Now.AddSeconds(900).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        Assert.Equal(new QuotaReading(847, TimeSpan.FromSeconds(900), "X-Rate-Limit-Reset"), Read((remainingName, "847"), (resetName, reset)));
    }

    [Theory]
    [InlineData("253402300800")]
    [InlineData("500000000000")]
    [InlineData("79228162514264337593543950335")]
    public void TryReadQuota_UnixTimeBeyondTheYear9999_IsNoQuota(string reset)
    {
        Assert.Null(Read(("RateLimit-Remaining", "1"), ("RateLimit-Reset", reset)));
    }

    [Fact]
    public void IsExhausted_UnreadableRemaining_IsNotZero()
    {
        using var response = HttpMessages.Response(429, ("RateLimit", "\"default\";r=abc;t=30"));

        Assert.False(RateLimitHeaders.IsExhausted(response));
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining")]
    [InlineData("X-Rate-Limit-Remaining")]
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
    [InlineData("RateLimit", "\"a\";\"b\";r=3;t=4")]
    [InlineData("RateLimit", "r=3;\"late\";t=4")]
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

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData(",")]
    [InlineData(",,,,,,")]
    [InlineData(" , , ")]
    [InlineData(";")]
    [InlineData(";;;")]
    [InlineData("=")]
    [InlineData("\"")]
    [InlineData("\"\"\"")]
    [InlineData("\\")]
    [InlineData("\"a\\")]
    [InlineData("\"a\";r=0;t=5\\")]
    [InlineData("\"unterminated;r=0;t=5")]
    [InlineData("\"unterminated, \"b\";r=0;t=5")]
    [InlineData("\"a\";r")]
    [InlineData("\"a\";r=;t=")]
    [InlineData("\"a\";r=0;t=5;")]
    [InlineData("füü;r=0;t=5")]
    [InlineData("\"füü\";r=0;t=5")]
    [InlineData("\"a\";r=٠;t=٥")]
    [InlineData("\"😀\";r=0;t=5")]
    [InlineData("\"\uD800\";r=0;t=5")]
    [InlineData("\"a\";r=0\u0000;t=5")]
    [InlineData("\"a\";r=0;t=5\u0000")]
    [InlineData("\"a\";r=99999999999999999999;t=5")]
    [InlineData("\"a\";r=0;t=99999999999999999999")]
    [InlineData("\"a\";r=-9223372036854775808;t=5")]
    [InlineData(":YQ==;r=0;t=5")]
    [InlineData("(((;r=0;t=5")]
    public void TryReadQuota_FieldWithNoPolicyThatParses_ReadsNothingAndThrowsNothing(string value)
    {
        using var response = HttpMessages.Response(403, ("RateLimit", value));

        Assert.False(RateLimitHeaders.TryReadQuota(response, Now, out _));
        Assert.False(RateLimitHeaders.IsExhausted(response));
        Assert.Null(RateLimitHeaders.ReadFieldResetSeconds(response.Headers.NonValidated));
        Assert.False(RetryAfterReader.TryRead(response, Now, out _));
    }

    [Fact]
    public void TryReadQuota_ResetOf15Digits_IsExhaustedButNoWait()
    {
        using var response = HttpMessages.Response(429, ("RateLimit", "\"a\";r=0;t=999999999999999"));

        Assert.False(RateLimitHeaders.TryReadQuota(response, Now, out _));
        Assert.True(RateLimitHeaders.IsExhausted(response));
        Assert.False(RetryAfterReader.TryRead(response, Now, out _));
    }

    [Fact]
    public void TryReadQuota_TenThousandPolicies_IsTheSlowestPaced()
    {
        var field = string.Join(", ", Enumerable.Range(0, 10_000).Select(i => $"\"p{i}\";r={i + 1};t=60"));

        Assert.Equal(new QuotaReading(1, TimeSpan.FromSeconds(60), "RateLimit", Policy: "p0"), Read(("RateLimit", field)));
    }

    [Fact]
    public void TryReadQuota_TenThousandBrokenMembersThenOnePolicy_IsThatPolicy()
    {
        var field = string.Concat(Enumerable.Repeat("\"x\";r=0;t=9;, ,", 10_000)) + "\"c\";r=7;t=8";

        Assert.Equal(new QuotaReading(7, TimeSpan.FromSeconds(8), "RateLimit", Policy: "c"), Read(("RateLimit", field)));
    }

    // Each of these is about a million characters: read in time quadratic in its length, any one would take hours, so a
    // reader that is not linear shows as a suite that does not finish (no timing is asserted here).
    [Fact]
    public void TryReadQuota_MillionCharacterFields_AreRead()
    {
        string[] fields =
        [
            string.Concat(Enumerable.Repeat("\"p\";r=5;t=9, ", 80_000)),
            "\"p\"" + string.Concat(Enumerable.Repeat(";r=5;t=9", 125_000)),
            "\"p" + new string('a', 1_000_000) + "\";r=5;t=9",
            "\"p" + string.Concat(Enumerable.Repeat("\\\"", 500_000)) + "\";r=5;t=9",
            new string(',', 1_000_000) + "\"p\";r=5;t=9",
            string.Concat(Enumerable.Repeat("\"\",", 333_333)) + "\"p\";r=5;t=9",
            string.Concat(Enumerable.Repeat(";", 1_000_000)) + ", \"p\";r=5;t=9",
            new string('"', 1_000_001),
        ];

        var read = fields.Select(field => Read(("RateLimit", field))?.Remaining).ToArray();

        Assert.Equal([5, 5, 5, 5, 5, 5, 5, null], read);
    }

    private static string Epoch(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static QuotaReading? Read(params (string Name, string Value)[] headers)
    {
        using var response = HttpMessages.Response(200, headers);
        return RateLimitHeaders.TryReadQuota(response, Now, out var quota) ? quota : null;
    }
}
