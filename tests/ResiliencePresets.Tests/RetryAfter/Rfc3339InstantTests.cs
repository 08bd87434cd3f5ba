namespace ResiliencePresets.Tests.RetryAfter;

public sealed class Rfc3339InstantTests
{
    [Theory]
    [InlineData("2026-11-23T12:00:30Z", "2026-11-23T12:00:30.0000000+00:00")]
    [InlineData("2026-11-23t12:00:30z", "2026-11-23T12:00:30.0000000+00:00")]
    [InlineData("2026-11-23 12:00:30Z", "2026-11-23T12:00:30.0000000+00:00")]
    [InlineData("2026-11-23T12:00:30.25Z", "2026-11-23T12:00:30.2500000+00:00")]
    [InlineData("2026-11-23T13:00:30.25+01:00", "2026-11-23T12:00:30.2500000+00:00")]
    [InlineData("2026-11-23T06:30:30-05:30", "2026-11-23T12:00:30.0000000+00:00")]
    [InlineData("2026-11-23T12:00:30.123456789Z", "2026-11-23T12:00:30.1234568+00:00")]
    [InlineData("2026-11-23T12:00:30.12345670000Z", "2026-11-23T12:00:30.1234567+00:00")]
    [InlineData("2016-12-31T23:59:60Z", "2017-01-01T00:00:00.0000000+00:00")]
    [InlineData("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.0000000+00:00")]
    [InlineData(" 2026-11-23T12:00:30Z ", "2026-11-23T12:00:30.0000000+00:00")]
    [InlineData("9999-12-31T23:59:59.9999999Z", "9999-12-31T23:59:59.9999999+00:00")]
    [InlineData("0001-01-01T00:00:00-01:00", "0001-01-01T01:00:00.0000000+00:00")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00.0000000+00:00")]
    [InlineData("2026-11-24T11:59:30+23:59", "2026-11-23T12:00:30.0000000+00:00")]
    [InlineData("2026-11-22T12:01:30-23:59", "2026-11-23T12:00:30.0000000+00:00")]
    public void TryParse_Rfc3339DateTime_IsThatInstant(string text, string expected)
    {
        Assert.True(Rfc3339Instant.TryParse(text, out var instant));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
        Assert.Equal(TimeSpan.Zero, instant.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-11-23")]
    [InlineData("2026-11-23T12:00:30")]
    [InlineData("2026-11-23T12:00Z")]
    [InlineData("2026-11-23T12:00:30+0100")]
    [InlineData("2026-11-23T12:00:30+24:00")]
    [InlineData("2026-11-23T12:00:30+01:60")]
    [InlineData("2026-11-23T12:00:30.Z")]
    [InlineData("2026-11-23T12:00:30ZZ")]
    [InlineData("2026-11-23T24:00:00Z")]
    [InlineData("2026-11-23T12:60:00Z")]
    [InlineData("2026-11-23T12:00:61Z")]
    [InlineData("2026-02-30T12:00:00Z")]
    [InlineData("2025-02-29T12:00:00Z")]
    [InlineData("2026-13-01T12:00:00Z")]
    [InlineData("0000-01-01T00:00:00Z")]
    [InlineData("2026-11-23X12:00:30Z")]
    [InlineData("26-11-23T12:00:30Z")]
    [InlineData("+2026-11-23T12:00:30Z")]
    [InlineData("2026-\u0661\u0661-23T12:00:30Z")]
    [InlineData("Mon, 23 Nov 2026 12:00:30 GMT")]
    [InlineData("1795000000")]
    [InlineData("9999-12-31T23:59:60Z")]
    [InlineData("9999-12-31T23:59:59-01:00")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("2026-11-23T12:00:30+01:000")]
    [InlineData("2026-11-23T12:00:30+1:00")]
    [InlineData("2026-11-23T12:00:30*01:00")]
    [InlineData("2026-11-23T12:00:30 01:00")]
    [InlineData("2026-11-23T12:00:30+01-00")]
    [InlineData("2026-11-23T12:00:30+0a:00")]
    [InlineData("2026-11-23T12:0/:30Z")]
    [InlineData("2026-11-23T1/:00:30Z")]
    [InlineData("2026-11-23T12:00:3/Z")]
    [InlineData("2026-1/-23T12:00:30Z")]
    [InlineData("2026-11-2/T12:00:30Z")]
    [InlineData("202/-11-23T12:00:30Z")]
    public void TryParse_AnythingElse_IsNotAnInstant(string text)
    {
        Assert.False(Rfc3339Instant.TryParse(text, out _));
    }
}
