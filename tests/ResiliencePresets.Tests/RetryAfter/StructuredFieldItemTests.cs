namespace ResiliencePresets.Tests.RetryAfter;

// The rules are RFC 9651's; the cases are a selection from the httpwg structured-field-tests
// (github.com/httpwg/structured-field-tests: number.json, string.json, token.json, key-generated.json), in our words.
public sealed class StructuredFieldItemTests
{
    [Theory]
    [InlineData("42", 42)]
    [InlineData("0", 0)]
    [InlineData("-0", 0)]
    [InlineData("-42", -42)]
    [InlineData("042", 42)]
    [InlineData("-042", -42)]
    [InlineData("00", 0)]
    [InlineData("123456789012345", 123456789012345)]
    [InlineData("-123456789012345", -123456789012345)]
    public void TryReadInteger_IntegerOfAtMost15Digits_IsRead(string text, long expected)
    {
        Assert.True(StructuredFieldItem.TryReadInteger(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("--0")]
    [InlineData("-a23")]
    [InlineData("4-2")]
    [InlineData("- 42")]
    [InlineData("+42")]
    [InlineData(" 42")]
    [InlineData("42 ")]
    [InlineData("1234567890123456")]
    [InlineData("-1234567890123456")]
    [InlineData("99999999999999999999")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData("٤٢")]
    public void TryReadInteger_AnythingElse_IsNoInteger(string text)
    {
        Assert.False(StructuredFieldItem.TryReadInteger(text, out _));
    }

    [Theory]
    [InlineData("r")]
    [InlineData("remaining")]
    [InlineData("*")]
    [InlineData("a*b")]
    [InlineData("a-b.c_d9")]
    [InlineData("z")]
    [InlineData("zz9")]
    public void IsKey_LowercaseKey_IsAKey(string text)
    {
        Assert.True(StructuredFieldItem.IsKey(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("R")]
    [InlineData("Remaining")]
    [InlineData("aBa")]
    [InlineData("1b")]
    [InlineData("_a")]
    [InlineData("-a")]
    [InlineData("a b")]
    [InlineData("a!a")]
    [InlineData("a/a")]
    [InlineData("a:a")]
    [InlineData("é")]
    [InlineData("{a")]
    [InlineData("`a")]
    [InlineData("a{")]
    public void IsKey_AnythingElse_IsNoKey(string text)
    {
        Assert.False(StructuredFieldItem.IsKey(text));
    }

    [Theory]
    [InlineData("\"foo bar\"")]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("\"foo \\\"bar\\\" \\\\ baz\"")]
    [InlineData("a_b-c.d3:f%00/*")]
    [InlineData("FooBar")]
    [InlineData("*")]
    [InlineData("42")]
    [InlineData("-1.23")]
    [InlineData("123456789012.123")]
    [InlineData("1.20")]
    [InlineData("?0")]
    [InlineData("?1")]
    [InlineData(":cHJldGVuZA==:")]
    [InlineData("::")]
    [InlineData("@1659578233")]
    [InlineData("%\"f%c3%bc\"")]
    [InlineData("z")]
    [InlineData("Z")]
    [InlineData("A")]
    [InlineData("a")]
    [InlineData("\"~ \"")]
    [InlineData("%\"~ \"")]
    [InlineData("0.5")]
    public void IsBareItem_ItemOfAnyType_IsAnItem(string text)
    {
        Assert.True(StructuredFieldItem.IsBareItem(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"füü\"")]
    [InlineData("\"\t\"")]
    [InlineData("'foo'")]
    [InlineData("\"foo")]
    [InlineData("\"foo \\,\"")]
    [InlineData("\"foo \\\"")]
    [InlineData("\"foo \\")]
    [InlineData("\"a\" ")]
    [InlineData("\"a\"b")]
    [InlineData("1.")]
    [InlineData("1.1234")]
    [InlineData("1234567890123.0")]
    [InlineData("1.5.4")]
    [InlineData("1..4")]
    [InlineData("1 .23")]
    [InlineData("abc def")]
    [InlineData("a=b")]
    [InlineData("_abc")]
    [InlineData("?2")]
    [InlineData(":abc")]
    [InlineData(":a b:")]
    [InlineData("@1.5")]
    [InlineData("%\"%C3\"")]
    [InlineData("%\"%c\"")]
    [InlineData("(1 2)")]
    [InlineData("[a")]
    [InlineData("`a")]
    [InlineData("{a")]
    [InlineData("\"\u007f\"")]
    [InlineData("\"\u001f\"")]
    [InlineData("%\"\u007f\"")]
    [InlineData("%\"\u001f\"")]
    [InlineData("%\"\"\"")]
    [InlineData(".5")]
    [InlineData("-")]
    public void IsBareItem_AnythingElse_IsNoItem(string text)
    {
        Assert.False(StructuredFieldItem.IsBareItem(text));
    }

    [Theory]
    [InlineData("\"default\"", "default")]
    [InlineData("default", "default")]
    [InlineData("\"a,b\"", "a,b")]
    [InlineData("\"x;r=0\"", "x;r=0")]
    [InlineData("\"say \\\"hi\\\" \\\\o/\"", "say \"hi\" \\o/")]
    [InlineData("\"\"", null)]
    [InlineData("42", null)]
    [InlineData("?1", null)]
    [InlineData("Zeta", "Zeta")]
    [InlineData("zeta", "zeta")]
    [InlineData("A", "A")]
    [InlineData("[x", null)]
    [InlineData("`x", null)]
    [InlineData("{x", null)]
    [InlineData("@1", null)]
    public void ReadName_StringOrToken_IsItsText(string item, string? expected)
    {
        Assert.Equal(expected, StructuredFieldItem.ReadName(item));
    }

    [Fact]
    public void ReadName_LongEscapedString_IsUnescaped()
    {
        var content = string.Concat(Enumerable.Repeat("a\\\"", 200));

        Assert.Equal(string.Concat(Enumerable.Repeat("a\"", 200)), StructuredFieldItem.ReadName("\"" + content + "\""));
    }
}
