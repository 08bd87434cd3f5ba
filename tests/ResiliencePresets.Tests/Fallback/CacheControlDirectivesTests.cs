namespace ResiliencePresets.Tests.Fallback;

// Inputs from the http-tests/cache-tests vectors tests/cc-parse.mjs and tests/cc-response.mjs, read as this library's
// stale store must read them.
public sealed class CacheControlDirectivesTests
{
    [Theory]
    [InlineData("no-store")]
    [InlineData("NO-STORE")]
    [InlineData("No-Store")]
    [InlineData("max-age=60, no-store")]
    [InlineData("no-store, max-age=a3600")]
    [InlineData("no-store, max-age=99999999999999999999")]
    [InlineData("max-age=3600.5, no-store")]
    [InlineData("max-age='3600', no-store")]
    [InlineData("unknown;x, no-store")]
    [InlineData("foo=\"a, b\", no-store")]
    [InlineData(",,, no-store ,,")]
    [InlineData("no-store=\"x\"")]
    [InlineData("\tno-store\t")]
    public void Has_DirectiveAnywhereInAnyCaseBesideMalformedOnes_IsFound(string line)
    {
        Assert.True(CacheControlDirectives.Parse([line]).Has("no-store"));
    }

    [Theory]
    [InlineData("extension=\"no-store\"")]
    [InlineData("extension=\"a, no-store, b\"")]
    [InlineData("x-no-store")]
    [InlineData("no-storage")]
    public void Has_NameInsideAQuotedValueOrLongerName_IsNotFound(string line)
    {
        Assert.False(CacheControlDirectives.Parse([line]).Has("no-store"));
    }

    [Theory]
    [InlineData("max-age=3600", "3600")]
    [InlineData("max-age=\"3600\"", "3600")]
    [InlineData("MAX-AGE=3600", "3600")]
    [InlineData("max-age=1800, max-age=1", "1800")]
    [InlineData("max-age=1, max-age=1800", "1")]
    [InlineData("extension=\"max-age=3600\", max-age=1", "1")]
    [InlineData("max-age=1, extension=\"max-age=3600\"", "1")]
    [InlineData("max-age =3600", null)]
    [InlineData("max-age= 3600", null)]
    [InlineData("max-age", null)]
    [InlineData("max-age=\"a\\\"b\"", "a\"b")]
    public void TryGetFirst_Value_IsTheFirstOccurrenceUnquoted(string line, string? expected)
    {
        Assert.True(CacheControlDirectives.Parse([line]).TryGetFirst("max-age", out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void TryGetFirst_SeparateLines_ReadsTheFirstLineFirst()
    {
        var directives = CacheControlDirectives.Parse(["max-age=1800", "max-age=1"]);

        Assert.True(directives.TryGetFirst("max-age", out var value));
        Assert.Equal("1800", value);
    }

    [Fact]
    public void Parse_TenThousandDirectives_FindsTheLast()
    {
        var line = string.Join(", ", Enumerable.Range(0, 10_000).Select(i => $"x{i}=\"{i}\"")) + ", no-cache";

        Assert.True(CacheControlDirectives.Parse([line]).Has("no-cache"));
    }

    [Theory]
    [InlineData("3600", 3600L)]
    [InlineData("003600", 3600L)]
    [InlineData("0", 0L)]
    [InlineData("2147483647", 2147483647L)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("99999999999999999999", 2147483648L)]
    [InlineData("-1", null)]
    [InlineData("+5", null)]
    [InlineData("3600.0", null)]
    [InlineData("1e99", null)]
    [InlineData("a3600", null)]
    [InlineData("3600a", null)]
    [InlineData("", null)]
    public void DeltaSeconds_Read_IsDigitsOnlyAndOverflowIsForever(string text, long? seconds)
    {
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, DeltaSeconds.Read(text));
    }
}
