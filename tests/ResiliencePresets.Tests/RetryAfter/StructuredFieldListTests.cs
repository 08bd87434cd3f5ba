namespace ResiliencePresets.Tests.RetryAfter;

// Cases chosen from the httpwg structured-field-tests (github.com/httpwg/structured-field-tests: list.json,
// string.json), rewritten for what the splitter decides: where one member ends and the next begins.
public sealed class StructuredFieldListTests
{
    [Theory]
    [InlineData("1, 42", new[] { "1", "42" })]
    [InlineData("1,42", new[] { "1", "42" })]
    [InlineData("  42, 43", new[] { "42", "43" })]
    [InlineData("1 , 42", new[] { "1", "42" })]
    [InlineData("1\t,\t42", new[] { "1", "42" })]
    [InlineData("\"a,b\";r=0;t=30", new[] { "\"a,b\";r=0;t=30" })]
    [InlineData("\"a\\\",b\", c", new[] { "\"a\\\",b\"", "c" })]
    [InlineData("\"a\\\\\", c", new[] { "\"a\\\\\"", "c" })]
    [InlineData("x;n=\"1,2\", y", new[] { "x;n=\"1,2\"", "y" })]
    [InlineData("%\"a\\\", b", new[] { "%\"a\\\"", "b" })]
    public void Members_List_AreSplitOnlyAtCommasOutsideStrings(string line, string[] expected)
    {
        Assert.Equal(expected, Members(line));
    }

    [Theory]
    [InlineData("", new[] { "" })]
    [InlineData("1,,42", new[] { "1", "", "42" })]
    [InlineData("1, 42,", new[] { "1", "42", "" })]
    [InlineData(",,", new[] { "", "", "" })]
    public void Members_EmptyMembers_AreHandedOutEmpty(string line, string[] expected)
    {
        Assert.Equal(expected, Members(line));
    }

    [Theory]
    [InlineData("\"open, b;r=0", new[] { "\"open, b;r=0" })]
    [InlineData("a, \"open\\", new[] { "a", "\"open\\" })]
    [InlineData("a, \"x\\\", b", new[] { "a", "\"x\\\", b" })]
    public void Members_StringLeftOpen_RunsToTheEndOfTheLine(string line, string[] expected)
    {
        Assert.Equal(expected, Members(line));
    }

    [Theory]
    [InlineData("\"a;b\";r=1", ';', 5)]
    [InlineData("\"a\\\";b\";r=1", ';', 7)]
    [InlineData("\"a;b", ';', -1)]
    [InlineData("abc", ';', -1)]
    public void IndexOfSeparator_SeparatorInsideAString_IsSkipped(string text, char separator, int expected)
    {
        Assert.Equal(expected, StructuredFieldList.IndexOfSeparator(text, separator));
    }

    private static List<string> Members(string line)
    {
        var members = new List<string>();
        foreach (var member in new StructuredFieldList(line))
        {
            members.Add(member.ToString());
        }

        return members;
    }
}
