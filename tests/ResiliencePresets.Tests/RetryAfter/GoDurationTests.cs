namespace ResiliencePresets.Tests.RetryAfter;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("1s", 10_000_000L)]
    [InlineData("6m0s", 3_600_000_000L)]
    [InlineData("20ms", 200_000L)]
    [InlineData("12ms", 120_000L)]
    [InlineData("1h2m3.5s", 37_235_000_000L)]
    [InlineData("0.5s", 5_000_000L)]
    [InlineData("59.999s", 599_990_000L)]
    [InlineData("2m59.56s", 1_795_600_000L)]
    [InlineData("1.5ms", 15_000L)]
    [InlineData(".5s", 5_000_000L)]
    [InlineData("5.s", 50_000_000L)]
    [InlineData("100us", 1_000L)]
    [InlineData("100\u00B5s", 1_000L)]
    [InlineData("100\u03BCs", 1_000L)]
    [InlineData("300ns", 3L)]
    [InlineData("250ns", 3L)]
    [InlineData("1ns", 1L)]
    [InlineData("0.000000000000000000001s", 1L)]
    [InlineData("1h0m0s", 36_000_000_000L)]
    [InlineData("0s", 0L)]
    [InlineData("0", 0L)]
    [InlineData(" 7s ", 70_000_000L)]
    [InlineData("00000000000000000000000000001s", 10_000_000L)]
    [InlineData("256204778h", 9_223_372_008_000_000_000L)]
    [InlineData("10000000000000000ns", 100_000_000_000_000L)]
    [InlineData("922337203685477580700ns", 9_223_372_036_854_775_807L)]
    [InlineData("922337203685.4775807s", 9_223_372_036_854_775_807L)]
    public void TryParse_GoDuration_IsItsLengthRoundedUpToATick(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromTicks(ticks), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("1")]
    [InlineData("30")]
    [InlineData("-1s")]
    [InlineData("+1s")]
    [InlineData("1d")]
    [InlineData("1S")]
    [InlineData("1 s")]
    [InlineData("1s 2m")]
    [InlineData("s")]
    [InlineData(".s")]
    [InlineData("1.2.3s")]
    [InlineData("1e3s")]
    [InlineData("1,5s")]
    [InlineData("\u0661s")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1sms")]
    [InlineData("256204779h")]
    [InlineData("99999999999999999h")]
    [InlineData("99999999999999999999999999999999999999h")]
    [InlineData("9223372036854775807s")]
    [InlineData("922337203685477580701ns")]
    [InlineData("922337203685.4775808s")]
    [InlineData("9999999999999999999999ns")]
    [InlineData("1000000000000000000000h")]
    public void TryParse_AnythingElse_IsNotADuration(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }
}
