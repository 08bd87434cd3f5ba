namespace ResiliencePresets.Tests.Classification;

public sealed class StatusCodeRuleTests
{
    [Theory]
    [InlineData("Retry", true, null)]
    [InlineData("retry", true, null)]
    [InlineData("RETRY", true, null)]
    [InlineData("  Retry\t", true, null)]
    [InlineData("Never", false, null)]
    [InlineData("never", false, null)]
    [InlineData(" NEVER ", false, null)]
    [InlineData("Retry(1)", true, 1)]
    [InlineData("retry(3)", true, 3)]
    [InlineData("RETRY(10)", true, 10)]
    [InlineData(" Retry(2) ", true, 2)]
    [InlineData("Retry(007)", true, 7)]
    [InlineData("Retry(2147483647)", true, int.MaxValue)]
    public void TryParse_ValidText_ReadsTheRule(string text, bool isRetry, int? maxRetries)
    {
        Assert.True(StatusCodeRule.TryParse(text, out var rule));

        Assert.Equal(isRetry, rule.IsRetry);
        Assert.Equal(maxRetries, rule.MaxRetries);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Always")]
    [InlineData("Retries")]
    [InlineData("No")]
    [InlineData("true")]
    [InlineData("3")]
    [InlineData("Retry()")]
    [InlineData("Retry(0)")]
    [InlineData("Retry(-1)")]
    [InlineData("Retry(+2)")]
    [InlineData("Retry( 2 )")]
    [InlineData("Retry(2.5)")]
    [InlineData("Retry(two)")]
    [InlineData("Retry(2")]
    [InlineData("Retry 2")]
    [InlineData("Retry(2)x")]
    [InlineData("Retry(2147483648)")]
    [InlineData("Never(2)")]
    [InlineData("Retry,Never")]
    public void TryParse_TextThatIsNotARule_FailsAndYieldsNever(string? text)
    {
        Assert.False(StatusCodeRule.TryParse(text, out var rule));

        Assert.Equal(StatusCodeRule.Never, rule);
    }

    [Theory]
    [InlineData("Retry")]
    [InlineData("Never")]
    [InlineData("Retry(1)")]
    [InlineData("Retry(5)")]
    public void ToString_OfAParsedRule_IsTheConfigurationText(string text)
    {
        Assert.True(StatusCodeRule.TryParse(text, out var rule));

        Assert.Equal(text, rule.ToString());
        Assert.True(StatusCodeRule.TryParse(rule.ToString(), out var again));
        Assert.Equal(rule, again);
    }

    [Theory]
    [InlineData("retry", "Retry")]
    [InlineData(" NEVER ", "Never")]
    [InlineData("retry(04)", "Retry(4)")]
    public void ToString_OfLooselyWrittenText_IsTheCanonicalSpelling(string text, string expected)
    {
        Assert.True(StatusCodeRule.TryParse(text, out var rule));

        Assert.Equal(expected, rule.ToString());
    }

    [Fact]
    public void Default_IsNever()
    {
        Assert.Equal(StatusCodeRule.Never, default);
        Assert.False(default(StatusCodeRule).IsRetry);
        Assert.Equal("Never", default(StatusCodeRule).ToString());
    }

    [Fact]
    public void Retry_HasNoPerStatusLimit()
    {
        Assert.True(StatusCodeRule.Retry.IsRetry);
        Assert.Null(StatusCodeRule.Retry.MaxRetries);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(100)]
    public void RetryAtMost_PositiveLimit_EqualsTheParsedRule(int max)
    {
        var rule = StatusCodeRule.RetryAtMost(max);

        Assert.True(rule.IsRetry);
        Assert.Equal(max, rule.MaxRetries);
        Assert.True(StatusCodeRule.TryParse($"Retry({max})", out var parsed));
        Assert.Equal(parsed, rule);
        Assert.NotEqual(StatusCodeRule.Retry, rule);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void RetryAtMost_LimitBelowOne_Throws(int max)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => StatusCodeRule.RetryAtMost(max));

        Assert.Equal("maxRetries", error.ParamName);
    }
}
