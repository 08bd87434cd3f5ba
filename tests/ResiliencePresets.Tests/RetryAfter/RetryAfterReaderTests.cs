using System.Globalization;
using static ResiliencePresets.Tests.TestSupport.HttpMessages;

namespace ResiliencePresets.Tests.RetryAfter;

public sealed class RetryAfterReaderTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 15, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("30", 30)]
    [InlineData("120", 120)]
    [InlineData("86400", 86_400)]
    [InlineData("2147483647", 2_147_483_647)]
    public void TryRead_RetryAfterDeltaSeconds_IsTheWait(string value, long seconds)
    {
        AssertWait(TimeSpan.FromSeconds(seconds), "Retry-After", ("Retry-After", value));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("0.0")]
    [InlineData("0.000")]
    [InlineData("-1.5")]
    [InlineData("+1.5")]
    [InlineData("+1")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("1.5.2")]
    [InlineData("1,5")]
    [InlineData("1e3")]
    [InlineData("1.5e1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1. 5")]
    [InlineData("30s")]
    [InlineData("thirty")]
    [InlineData("")]
    [InlineData("2147483648")]
    [InlineData("2147483647.5")]
    [InlineData("99999999999999999999")]
    [InlineData("99999999999999999999.5")]
    [InlineData("9223372036854775807.5")]
    [InlineData("9223372036854775807.0")]
    public void TryRead_RetryAfterThatIsNotAPositiveDecimalOrDate_IsIgnored(string value)
    {
        AssertNoWait(("Retry-After", value));
    }

    [Theory]
    [InlineData("1.5", 2)]
    [InlineData("0.5", 1)]
    [InlineData("0.0001", 1)]
    [InlineData("1.0", 1)]
    [InlineData("1.000", 1)]
    [InlineData("2.000001", 3)]
    [InlineData(" 1.5 ", 2)]
    [InlineData("29.9", 30)]
    [InlineData("007.25", 8)]
    [InlineData("2147483646.5", 2_147_483_647)]
    public void TryRead_RetryAfterDecimalSeconds_IsRoundedUpToWholeSeconds(string value, long seconds)
    {
        AssertWait(TimeSpan.FromSeconds(seconds), "Retry-After", ("Retry-After", value));
    }

    public static TheoryData<string, string, string> Rfc850Years => new()
    {
        // now, the obsolete date, the moment it names: RFC 9110 §5.6.7 reads a two-digit year more than 50 years ahead
        // as the most recent past year with the same digits.
        { "2026-12-02T00:00:00Z", "Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z" },
        { "2026-12-02T00:00:00Z", "Wednesday, 06-Nov-30 08:49:37 GMT", "2030-11-06T08:49:37Z" },
        { "2026-12-02T00:00:00Z", "Thursday, 06-Nov-70 08:49:37 GMT", "2070-11-06T08:49:37Z" },
        { "2026-12-02T00:00:00Z", "Friday, 06-Nov-76 08:49:37 GMT", "2076-11-06T08:49:37Z" },
        { "2026-12-02T00:00:00Z", "Wednesday, 02-Dec-76 00:00:00 GMT", "2076-12-02T00:00:00Z" },
        { "2026-12-02T00:00:00Z", "Wednesday, 02-Dec-76 00:00:01 GMT", "1976-12-02T00:00:01Z" },
        { "2026-12-02T00:00:00Z", "Saturday, 06-Nov-77 08:49:37 GMT", "1977-11-06T08:49:37Z" },
        { "2026-12-02T00:00:00Z", "Saturday, 01-Jan-00 00:00:00 GMT", "2000-01-01T00:00:00Z" },
        { "2026-12-02T00:00:00Z", "Wednesday, 02-Dec-26 00:01:00 GMT", "2026-12-02T00:01:00Z" },
        { "1994-11-06T08:49:00Z", "Sunday, 06-Nov-94 08:49:37 GMT", "1994-11-06T08:49:37Z" },
        { "1994-11-06T08:49:00Z", "Saturday, 01-Jan-00 00:00:00 GMT", "2000-01-01T00:00:00Z" },
        { "2099-06-01T00:00:00Z", "Tuesday, 01-Jan-05 00:00:00 GMT", "2105-01-01T00:00:00Z" },
        { "2099-06-01T00:00:00Z", "Thursday, 01-Jan-49 00:00:00 GMT", "2149-01-01T00:00:00Z" },
        { "2099-06-01T00:00:00Z", "Saturday, 01-Jan-50 00:00:00 GMT", "2050-01-01T00:00:00Z" },
        { "2096-01-01T00:00:00Z", "Tuesday, 29-Feb-00 00:00:00 GMT", "2000-02-29T00:00:00Z" },
        { "2026-12-02T00:00:00Z", "sunday, 06-nov-94 08:49:37 gmt", "1994-11-06T08:49:37Z" },
        { "2026-12-02T00:00:00Z", "  Monday, 06-Nov-94 08:49:37 GMT  ", "1994-11-06T08:49:37Z" },
    };

    [Theory]
    [InlineData("Jan", 1)]
    [InlineData("Feb", 2)]
    [InlineData("Mar", 3)]
    [InlineData("Apr", 4)]
    [InlineData("May", 5)]
    [InlineData("Jun", 6)]
    [InlineData("Jul", 7)]
    [InlineData("Aug", 8)]
    [InlineData("Sep", 9)]
    [InlineData("Oct", 10)]
    [InlineData("Nov", 11)]
    [InlineData("Dec", 12)]
    public void TryParse_Rfc850DateInEveryMonth_IsThatMonth(string name, int month)
    {
        // The weekday is not checked, so one serves every month.
        Assert.True(RetryAfterField.TryParseDate($"Sunday, 28-{name}-94 23:59:59 GMT", Now, out var date));
        Assert.Equal(new DateTimeOffset(1994, month, 28, 23, 59, 59, TimeSpan.Zero), date);
    }

    [Theory]
    [InlineData("9990-01-01T00:00:00Z", "Tuesday, 01-Jan-05 00:00:00 GMT", "9905-01-01T00:00:00Z")]
    [InlineData("9990-01-01T00:00:00Z", "Friday, 31-Dec-99 23:59:59 GMT", "9999-12-31T23:59:59Z")]
    [InlineData("0010-06-01T00:00:00Z", "Monday, 01-Jan-01 00:00:00 GMT", "0001-01-01T00:00:00Z")]
    [InlineData("0010-06-01T00:00:00Z", "Monday, 01-Jan-60 00:00:00 GMT", "0060-01-01T00:00:00Z")]
    public void TryParseDate_Rfc850TwoDigitYearNearTheEndsOfTheCalendar_IsAYearDateTimeOffsetHolds(string now, string value, string expected)
    {
        Assert.True(RetryAfterField.TryParseDate(value, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), out var date));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), date);
    }

    // In the year 10, "99" is more than 50 years ahead, and the past year with those digits would be before year 1.
    [Fact]
    public void TryParseDate_Rfc850TwoDigitYearWithNoYearDateTimeOffsetHolds_IsNotADate()
        => Assert.False(RetryAfterField.TryParseDate("Monday, 01-Jan-99 00:00:00 GMT", new DateTimeOffset(10, 6, 1, 0, 0, 0, TimeSpan.Zero), out _));

    [Theory]
    [MemberData(nameof(Rfc850Years))]
    public void TryParseDate_Rfc850TwoDigitYear_IsTheLatestYearNotMoreThanFiftyYearsAhead(string now, string value, string expected)
    {
        Assert.True(RetryAfterField.TryParseDate(value, DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), out var date));
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), date);
    }

    [Theory]
    [InlineData("Thursday, 06-Nov-70 08:49:37 GMT", "2026-12-02T00:00:00Z", "2070-11-06T08:49:37Z")]
    [InlineData("Wednesday, 06-Nov-30 08:49:37 GMT", "2026-12-02T00:00:00Z", "2030-11-06T08:49:37Z")]
    [InlineData("Sunday, 06-Nov-30 08:49:37 GMT", "2026-12-02T00:00:00Z", "2030-11-06T08:49:37Z")]
    [InlineData("Monday, 01-Jan-20 00:00:00 GMT", "2090-01-01T00:00:00Z", "2120-01-01T00:00:00Z")]
    public void TryRead_RetryAfterRfc850DateWithTwoDigitYear_WaitsUntilTheYearRfc9110Names(string value, string now, string until)
    {
        using var response = Response(503, ("Retry-After", value));
        var at = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture);

        Assert.True(RetryAfterReader.TryRead(response, at, out var wait));
        Assert.Equal(new RetryAfterValue(DateTimeOffset.Parse(until, CultureInfo.InvariantCulture) - at, "Retry-After"), wait);
    }

    [Theory]
    [InlineData("Sunday, 31-Feb-94 08:49:37 GMT")]
    [InlineData("Sunday, 00-Nov-94 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 24:00:00 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:60:00 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:60 GMT")]
    [InlineData("Sunday, 06-Foo-94 08:49:37 GMT")]
    [InlineData("Funday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 UTC")]
    [InlineData("Sunday, 06-Nov-9x 08:49:37 GMT")]
    [InlineData("Sunday,06-Nov-94 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-1994 08:49:37 GMT")]
    [InlineData("Sunday,  06-Nov-94 08:49:37 GMT")]
    [InlineData("Sunday, 06/Nov-94 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov/94 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94T08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08.49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49.37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37+GMT")]
    [InlineData("Sunday, x6-Nov-94 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-x4 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 x8:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:x9:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:x7 GMT")]
    public void TryParseDate_MalformedRfc850Date_IsNotADate(string value)
        => Assert.False(RetryAfterField.TryParseDate(value, Now, out _));

    [Theory]
    [InlineData("Wed Jan 15 12:01:00 2025", 60)]
    [InlineData("Wed Jan 15 13:00:00 2025", 3600)]
    [InlineData("Wed, 15 Jan 2025 12:00:30 GMT", 30)]
    public void TryRead_RetryAfterAsctimeAndImfFixdate_IsTheTimeUntilThatDate(string value, int seconds)
    {
        AssertWait(TimeSpan.FromSeconds(seconds), "Retry-After", ("Retry-After", value));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(90)]
    [InlineData(3600)]
    public void TryRead_RetryAfterFutureHttpDate_IsTheTimeUntilThatDate(int secondsAhead)
    {
        var date = Now.AddSeconds(secondsAhead).ToString("R", CultureInfo.InvariantCulture);

        AssertWait(TimeSpan.FromSeconds(secondsAhead), "Retry-After", ("Retry-After", date));
    }

    [Fact]
    public void TryRead_RetryAfterObsoleteRfc850Date_IsRead()
    {
        AssertWait(TimeSpan.FromMinutes(1), "Retry-After", ("Retry-After", "Wednesday, 15-Jan-25 12:01:00 GMT"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-3600)]
    public void TryRead_RetryAfterHttpDateNowOrPast_IsIgnored(int secondsAhead)
    {
        AssertNoWait(("Retry-After", Now.AddSeconds(secondsAhead).ToString("R", CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("Wed, 32 Jan 2025 12:00:00 GMT")]
    [InlineData("Wed, 15 Jan 2025 25:00:00 GMT")]
    [InlineData("2025-01-15T12:01:00Z")]
    [InlineData("tomorrow")]
    public void TryRead_RetryAfterMalformedDate_IsIgnored(string value)
    {
        AssertNoWait(("Retry-After", value));
    }

    [Theory]
    [InlineData("retry-after-ms", "1500", 1500.0)]
    [InlineData("retry-after-ms", "1", 1.0)]
    [InlineData("retry-after-ms", "1.5", 1.5)]
    [InlineData("retry-after-ms", " 250 ", 250.0)]
    [InlineData("x-ms-retry-after-ms", "250", 250.0)]
    [InlineData("X-MS-Retry-After-MS", "60000", 60000.0)]
    public void TryRead_MillisecondHeader_IsTheWait(string header, string value, double milliseconds)
    {
        AssertWait(TimeSpan.FromTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond)), header.ToLowerInvariant(), (header, value));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-100")]
    [InlineData("+100")]
    [InlineData("1e3")]
    [InlineData("0.00001")]
    [InlineData("1,000")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1000000000000000000000")]
    [InlineData("soon")]
    public void TryRead_MillisecondHeaderThatIsNotAUsablePositiveNumber_IsIgnored(string value)
    {
        AssertNoWait(("retry-after-ms", value));
        AssertNoWait(("x-ms-retry-after-ms", value));
    }

    [Theory]
    [InlineData("\"default\";r=0;t=30", 30)]
    [InlineData("\"default\";t=45", 45)]
    [InlineData("\"burst\";r=0;t=5, \"daily\";r=100;t=3600", 5)]
    [InlineData("\"burst\";r=5;t=5, \"daily\";r=0;t=3600", 3600)]
    [InlineData("\"a\";r=0;t=10, \"b\";r=0;t=20", 20)]
    [InlineData("limit=100, remaining=0, reset=30", 30)]
    [InlineData("limit=100, reset=12", 12)]
    [InlineData("\"a,b\";r=0;t=30", 30)]
    [InlineData("\"x;t=1\";r=0;t=30", 30)]
    [InlineData("\"bad\" ;r=0;t=3600, \"good\";r=0;t=30", 30)]
    public void TryRead_IetfRateLimitField_IsTheResetOfTheExhaustedPolicy(string value, long seconds)
    {
        AssertWait(TimeSpan.FromSeconds(seconds), "RateLimit", ("RateLimit", value));
    }

    [Theory]
    [InlineData("\"default\";r=1;t=30")]
    [InlineData("limit=100, remaining=7, reset=30")]
    [InlineData("\"default\";r=0;t=0")]
    [InlineData("\"default\";r=0;t=-5")]
    [InlineData("\"default\";r=0")]
    [InlineData("\"default\";r=0;t=soon")]
    [InlineData("garbage")]
    [InlineData("\"p,r=0,q\";r=50;t=60")]
    [InlineData("\"default\";r=0 ;t=30")]
    [InlineData("\"default\";r=0;t=1234567890123456")]
    public void TryRead_IetfRateLimitFieldWithQuotaLeftOrNoUsableReset_IsIgnored(string value)
    {
        AssertNoWait(("RateLimit", value));
    }

    [Theory]
    [InlineData(null, 20)]
    [InlineData("0", 20)]
    [InlineData("unknown", 20)]
    public void TryRead_RateLimitResetWithQuotaExhaustedOrUnstated_IsTheWaitInSeconds(string? remaining, long seconds)
    {
        (string, string)[] headers = remaining is null
            ? [("RateLimit-Reset", "20")]
            : [("RateLimit-Reset", "20"), ("RateLimit-Remaining", remaining)];

        AssertWait(TimeSpan.FromSeconds(seconds), "RateLimit-Reset", headers);
    }

    [Theory]
    [InlineData("RateLimit-Reset", "RateLimit-Remaining")]
    [InlineData("X-RateLimit-Reset", "X-RateLimit-Remaining")]
    public void TryRead_ResetHeaderWhileQuotaIsLeft_IsIgnored(string reset, string remaining)
    {
        AssertNoWait((reset, "20"), (remaining, "3"));
    }

    // GitLab's RateLimit-Reset is a Unix time, the IETF draft's delta-seconds: a delta past 1,000,000,000 (31 years) is
    // beyond any Retry:MaxRetryAfter, so the threshold of X-RateLimit-Reset tells them apart here too.
    [Fact]
    public void TryRead_RateLimitResetAsAnEpochTime_IsTheTimeUntilThen()
    {
        var epoch = Now.AddSeconds(60).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        AssertWait(TimeSpan.FromSeconds(60), "RateLimit-Reset", ("RateLimit-Reset", epoch));
    }

    [Theory]
    [InlineData("X-RateLimit-Reset", "30.5", 305_000_000)]
    [InlineData("RateLimit-Reset", "1.5", 15_000_000)]
    [InlineData("X-RateLimit-Reset-After", "64.57", 645_700_000)]
    [InlineData("X-Rate-Limit-Reset", "0.25", 2_500_000)]
    public void TryRead_ResetHeaderWithAFraction_IsKeptToTheTick(string header, string value, long ticks)
    {
        AssertWait(TimeSpan.FromTicks(ticks), header, (header, value));
    }

    [Fact]
    public void TryRead_DiscordEpochWithMilliseconds_IsTheTimeUntilThen()
    {
        var epoch = (Now.ToUnixTimeSeconds() + 1.123m).ToString(CultureInfo.InvariantCulture);

        AssertWait(TimeSpan.FromTicks(11_230_000), "X-RateLimit-Reset", ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", epoch));
    }

    [Fact]
    public void TryRead_DiscordResetAfterWithoutRemaining_IsReadBeforeTheEpoch()
    {
        var epoch = Now.AddSeconds(9).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        AssertWait(TimeSpan.FromSeconds(7), "X-RateLimit-Reset-After", ("X-RateLimit-Reset", epoch), ("X-RateLimit-Reset-After", "7"));
    }

    [Theory]
    [InlineData("598.0")]
    [InlineData("1")]
    public void TryRead_ResetWithADecimalRemainingLeft_IsNoWait(string remaining)
    {
        AssertNoWait(("X-RateLimit-Remaining", remaining), ("X-RateLimit-Reset", "412"));
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("0.9")]
    public void TryRead_ResetWithADecimalRemainingBelowOne_IsTheWait(string remaining)
    {
        AssertWait(TimeSpan.FromSeconds(412), "X-RateLimit-Reset", ("X-RateLimit-Remaining", remaining), ("X-RateLimit-Reset", "412"));
    }

    [Fact]
    public void TryRead_XRateLimitDashedResetWithoutRemaining_IsTheTimeUntilThen()
    {
        var epoch = Now.AddSeconds(600).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        AssertWait(TimeSpan.FromSeconds(600), "X-Rate-Limit-Reset", ("x-rate-limit-reset", epoch));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    [InlineData(3600)]
    public void TryRead_XRateLimitResetEpochSeconds_IsTheTimeUntilThen(int secondsAhead)
    {
        var epoch = Now.AddSeconds(secondsAhead).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

        AssertWait(TimeSpan.FromSeconds(secondsAhead), "X-RateLimit-Reset", ("X-RateLimit-Reset", epoch), ("X-RateLimit-Remaining", "0"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    public void TryRead_XRateLimitResetEpochNowOrPast_IsIgnored(int secondsAhead)
    {
        AssertNoWait(("X-RateLimit-Reset", Now.AddSeconds(secondsAhead).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("45", 45)]
    [InlineData("1", 1)]
    [InlineData("1000000000", 1_000_000_000)]
    public void TryRead_XRateLimitResetUpToOneBillion_IsDeltaSeconds(string value, long seconds)
    {
        AssertWait(TimeSpan.FromSeconds(seconds), "X-RateLimit-Reset", ("X-RateLimit-Reset", value));
    }

    [Theory]
    [InlineData("X-RateLimit-Reset", "0")]
    [InlineData("X-RateLimit-Reset", "-30")]
    [InlineData("X-RateLimit-Reset", ".5")]
    [InlineData("X-RateLimit-Reset", "5.")]
    [InlineData("X-RateLimit-Reset", "1e3")]
    [InlineData("X-RateLimit-Reset", "2026-11-23T12:01Z")]
    [InlineData("X-RateLimit-Reset-After", "0")]
    [InlineData("X-RateLimit-Reset-After", "-1.5")]
    [InlineData("X-Rate-Limit-Reset", "0")]
    [InlineData("X-Rate-Limit-Reset", "253402300800")]
    [InlineData("X-RateLimit-Reset", "9223372036854775807")]
    [InlineData("X-RateLimit-Reset", "99999999999999999999")]
    [InlineData("RateLimit-Reset", "0")]
    [InlineData("RateLimit-Reset", "1.5.0")]
    [InlineData("RateLimit-Reset", "9223372036854775807")]
    public void TryRead_ResetHeaderThatIsNotAUsableWait_IsIgnored(string header, string value)
    {
        AssertNoWait((header, value));
    }

    public static TheoryData<string, string, double, string[]> Precedence => new()
    {
        { "ms before everything", "retry-after-ms", 500, ["retry-after-ms", "500", "x-ms-retry-after-ms", "700", "Retry-After", "10", "RateLimit", "\"d\";r=0;t=60", "RateLimit-Reset", "30", "X-RateLimit-Reset", "45"] },
        { "OpenAI ms before Azure ms", "retry-after-ms", 100, ["x-ms-retry-after-ms", "700", "retry-after-ms", "100"] },
        { "Azure ms before Retry-After", "x-ms-retry-after-ms", 700, ["Retry-After", "10", "x-ms-retry-after-ms", "700"] },
        { "Retry-After before RateLimit", "Retry-After", 10_000, ["RateLimit", "\"d\";r=0;t=60", "Retry-After", "10"] },
        { "Retry-After before the reset headers", "Retry-After", 10_000, ["X-RateLimit-Reset", "45", "RateLimit-Reset", "30", "Retry-After", "10"] },
        { "RateLimit before RateLimit-Reset", "RateLimit", 60_000, ["RateLimit-Reset", "30", "RateLimit", "\"d\";r=0;t=60"] },
        { "RateLimit-Reset before X-RateLimit-Reset", "RateLimit-Reset", 30_000, ["X-RateLimit-Reset", "45", "RateLimit-Reset", "30"] },
        { "unusable ms falls through", "Retry-After", 10_000, ["retry-after-ms", "0", "Retry-After", "10"] },
        { "past date falls through", "X-RateLimit-Reset", 45_000, ["Retry-After", "Wed, 15 Jan 2025 11:00:00 GMT", "X-RateLimit-Reset", "45"] },
        { "RateLimit with quota falls through", "RateLimit-Reset", 30_000, ["RateLimit", "\"d\";r=9;t=60", "RateLimit-Reset", "30"] },
        { "shorter ms still wins over a longer Retry-After", "retry-after-ms", 1, ["Retry-After", "3600", "retry-after-ms", "1"] },
    };

    [Theory]
    [MemberData(nameof(Precedence))]
    public void TryRead_SeveralHeaders_TheFirstUsableInTheDocumentedOrderWins(string scenario, string expectedHeader, double expectedMs, string[] headers)
    {
        var pairs = headers.Chunk(2).Select(p => (p[0], p[1])).ToArray();
        using var response = Response(503, pairs);

        Assert.True(RetryAfterReader.TryRead(response, Now, out var value), scenario);
        Assert.Equal(expectedHeader, value.HeaderName);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value.Delay);
    }

    [Theory]
    [InlineData("Retry-After", new[] { "5", "20" }, 20_000)]
    [InlineData("Retry-After", new[] { "20", "5" }, 20_000)]
    [InlineData("Retry-After", new[] { "soon", "7" }, 7_000)]
    [InlineData("Retry-After", new[] { "0", "-1", "3" }, 3_000)]
    [InlineData("retry-after-ms", new[] { "100", "300" }, 300)]
    [InlineData("retry-after-ms", new[] { "300", "x", "100" }, 300)]
    [InlineData("x-ms-retry-after-ms", new[] { "0", "40" }, 40)]
    [InlineData("X-RateLimit-Reset", new[] { "30", "60" }, 30_000)]
    [InlineData("RateLimit-Reset", new[] { "60", "30" }, 60_000)]
    [InlineData("RateLimit", new[] { "\"a\";r=0;t=10", "\"b\";r=0;t=40" }, 40_000)]
    public void TryRead_RepeatedHeader_TakesTheLongestWaitExceptTheResetHeadersWhichTakeTheFirst(string header, string[] values, double expectedMs)
    {
        using var response = Response(429, values.Select(v => (header, v)).ToArray());

        Assert.True(RetryAfterReader.TryRead(response, Now, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), value.Delay);
    }

    [Fact]
    public void TryRead_NoWaitHeader_ReturnsFalseAndDefault()
    {
        using var response = Response(503, ("X-RateLimit-Remaining", "0"), ("RateLimit-Remaining", "0"), ("Cache-Control", "no-store"));

        Assert.False(RetryAfterReader.TryRead(response, Now, out var value));
        Assert.Equal(default, value);
    }

    [Fact]
    public void TryRead_HeaderReadThroughTheTypedAccessorFirst_IsStillRead()
    {
        using var response = Response(503, ("Retry-After", "12"));
        Assert.Equal(TimeSpan.FromSeconds(12), response.Headers.RetryAfter?.Delta);

        AssertWait(TimeSpan.FromSeconds(12), "Retry-After", response);
    }

    [Fact]
    public void TryRead_NullResponse_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => RetryAfterReader.TryRead(null!, Now, out _));
    }

    [Fact]
    public void TryRead_MillisecondsOfDecades_IsStillAWait()
        => AssertWait(TimeSpan.FromMilliseconds(1_000_000_000_000), "retry-after-ms", ("retry-after-ms", "1000000000000"));

    [Fact]
    public void TryRead_RateLimitFieldResetAboveTheEpochThreshold_IsDeltaSecondsNotADate()
        => AssertWait(TimeSpan.FromSeconds(1_500_000_000), "RateLimit", ("RateLimit", "\"default\";r=0;t=1500000000"));

    [Fact]
    public void TryRead_RateLimitResetAboveTheEpochThreshold_IsAUnixTime()
        => AssertWait(TimeSpan.FromSeconds(3_000_000_000 - Now.ToUnixTimeSeconds()), "RateLimit-Reset", ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "3000000000"));

    [Fact]
    public void TryRead_RateLimitFieldPoliciesWithoutRemaining_WaitForTheLongestReset()
        => AssertWait(TimeSpan.FromSeconds(30), "RateLimit", ("RateLimit", "\"a\";t=10, \"b\";t=30, \"c\";t=20"));

    private static void AssertWait(TimeSpan expected, string expectedHeader, params (string Name, string Value)[] headers)
    {
        using var response = Response(503, headers);
        AssertWait(expected, expectedHeader, response);
    }

    private static void AssertWait(TimeSpan expected, string expectedHeader, HttpResponseMessage response)
    {
        Assert.True(RetryAfterReader.TryRead(response, Now, out var value));
        Assert.Equal(new RetryAfterValue(expected, expectedHeader), value);
    }

    private static void AssertNoWait(params (string Name, string Value)[] headers)
    {
        using var response = Response(503, headers);
        Assert.False(RetryAfterReader.TryRead(response, Now, out var value), $"Read {value.Delay} from {value.HeaderName}.");
    }
}
