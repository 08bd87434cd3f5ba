namespace ResiliencePresets.Redis.Tests.Sharing;

public sealed class PauseNoticeTests
{
    private static readonly ClientPauseReason Reason = new(429, "Retry-After", "GET", "https://api.example.com:8443/search/issues", "search");

    [Fact]
    public void Read_WhatDescribeWrote_GivesTheReasonAndTheScopesUrlBack()
    {
        var pause = PauseNotice.Read($"1700000030000000|{PauseNotice.Describe(Reason)}");

        Assert.Equal(Reason, pause!.Value.Reason);
        Assert.Equal(1_700_000_030_000_000, pause.Value.UntilMicroseconds);
        Assert.Equal("api.example.com:8443", pause.Value.Url.Authority);
        Assert.Equal(TimeSpan.FromSeconds(30), pause.Value.RemainingAt(1_700_000_000_000_000));
        Assert.Equal(TimeSpan.Zero, pause.Value.RemainingAt(1_700_000_031_000_000));
    }

    [Fact]
    public void Describe_LongOrHostileParts_IsBoundedAndKeepsItsShape()
    {
        var hostile = new ClientPauseReason(429, new string('h', 500) + "|x", "GET\r\n|", "https://api.example.com/" + new string('p', 5000) + "|\n", "search|x");

        var text = PauseNotice.Describe(hostile);

        Assert.True(text.Length <= 3 + 64 + 16 + 256 + 64 + 4, $"{text.Length} characters");
        Assert.Equal(5, text.Split('|').Length);
        Assert.DoesNotContain('\n', text);
        var read = PauseNotice.Read($"1|{text}")!.Value;
        Assert.Null(read.Reason.Scope);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a pause")]
    [InlineData("12|429|Retry-After|GET|https://api.example.com/")]
    [InlineData("-12|429|Retry-After|GET|https://api.example.com/|")]
    [InlineData("12|4x9|Retry-After|GET|https://api.example.com/|")]
    [InlineData("12|429|Retry-After|GET|/relative/path|")]
    [InlineData("99999999999999999999999|429|Retry-After|GET|https://api.example.com/|")]
    public void Read_ValueThatIsNotAPause_IsIgnored(string? value)
    {
        Assert.Null(PauseNotice.Read(value));
    }

    [Theory]
    [InlineData("12|13|429|Retry-After|GET|https://api.example.com/|", true)]
    [InlineData("x|13|429|Retry-After|GET|https://api.example.com/|", false)]
    [InlineData("12", false)]
    public void ReadNotice_ReadsRedisTimeThenThePause(string message, bool valid)
    {
        var notice = PauseNotice.ReadNotice(message);

        Assert.Equal(valid, notice is not null);
        if (notice is var (now, pause))
        {
            Assert.Equal(12, now);
            Assert.Equal(TimeSpan.FromMicroseconds(1), pause.RemainingAt(now));
        }
    }

    [Fact]
    public void Field_IsOnePerAuthorityAndLimit_AndHoldsNeitherTheUrlNorItsPath()
    {
        var field = PauseNotice.Field(Reason)!;

        Assert.Equal(16, field.Length);
        Assert.DoesNotContain("example", field, StringComparison.Ordinal);
        Assert.Equal(field, PauseNotice.Field(Reason with { Url = "https://api.example.com:8443/search/code", StatusCode = 403 }));
        Assert.NotEqual(field, PauseNotice.Field(Reason with { Scope = null }));
        Assert.NotEqual(field, PauseNotice.Field(Reason with { Url = "https://other.example.com:8443/search/issues" }));
        Assert.Null(PauseNotice.Field(Reason with { Url = "(no URL)" }));
    }
}
