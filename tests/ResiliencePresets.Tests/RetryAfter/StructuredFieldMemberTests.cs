namespace ResiliencePresets.Tests.RetryAfter;

// Whitespace and parameter rules of RFC 9651, with cases chosen from the httpwg structured-field-tests
// (github.com/httpwg/structured-field-tests: param-list.json, dictionary.json, param-dict.json), in our words.
public sealed class StructuredFieldMemberTests
{
    [Theory]
    [InlineData("\"default\";r=50;t=30", "", "\"default\"", "r=50 t=30")]
    [InlineData("text/plain; q=0.5", "", "text/plain", "q=0.5")]
    [InlineData("text/plain;  q=0.5;  charset=utf-8", "", "text/plain", "q=0.5 charset=utf-8")]
    [InlineData("text/html;a;q=1.0", "", "text/html", "a q=1.0")]
    [InlineData("a;b=1;c=2;b=3", "", "a", "b=1 c=2 b=3")]
    [InlineData("remaining=0", "remaining", "0", "")]
    [InlineData("ghi=789;q=9;r=\"+w\"", "ghi", "789", "q=9 r=\"+w\"")]
    [InlineData("\"x;r=0\";r=5;t=10", "", "\"x;r=0\"", "r=5 t=10")]
    [InlineData("\"a=b\";n=\"c;d=e\"", "", "\"a=b\"", "n=\"c;d=e\"")]
    [InlineData("default", "", "default", "")]
    public void TryParse_ValidMember_GivesItsKeyItemAndParameters(string text, string key, string item, string parameters)
    {
        Assert.True(StructuredFieldMember.TryParse(text, out var member));
        Assert.Equal(key, member.Key.ToString());
        Assert.Equal(item, member.Item.ToString());
        Assert.Equal(parameters, Parameters(member));
    }

    [Theory]
    [InlineData("")]
    [InlineData("text/plain;q =0.5")]
    [InlineData("text/plain;q= 0.5")]
    [InlineData("text/plain ;q=0.5")]
    [InlineData("text/plain;\tq=0.5")]
    [InlineData("a;b=1;")]
    [InlineData("a;")]
    [InlineData("a;=1")]
    [InlineData("a;B=1")]
    [InlineData("a;b=")]
    [InlineData("a =1")]
    [InlineData("a= 1")]
    [InlineData("a=")]
    [InlineData("\"a\";\"b\";r=3;t=4")]
    [InlineData("r=3;\"late\";t=4")]
    [InlineData("\"a\";r=1 t=2")]
    [InlineData("\"a\" \"b\";r=1")]
    [InlineData("(1 2);r=1")]
    [InlineData("a=(1 2)")]
    [InlineData("\"unterminated;r=1")]
    public void TryParse_InvalidMember_DoesNotParse(string text)
    {
        Assert.False(StructuredFieldMember.TryParse(text, out _));
    }

    private static string Parameters(StructuredFieldMember member)
    {
        var parts = new List<string>();
        var parameters = member.Parameters;
        while (parameters.MoveNext())
        {
            parts.Add(parameters.Value.IsEmpty ? parameters.Key.ToString() : $"{parameters.Key}={parameters.Value}");
        }

        return string.Join(' ', parts);
    }
}
