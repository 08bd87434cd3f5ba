using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Fallback;

public sealed class StaleStorageRuleTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(200, "Keep")]
    [InlineData(203, "Keep")]
    [InlineData(204, "Keep")]
    [InlineData(206, "Forget")]
    [InlineData(301, "Forget")]
    [InlineData(401, "Forget")]
    [InlineData(404, "Forget")]
    [InlineData(410, "Forget")]
    [InlineData(408, "Leave")]
    [InlineData(429, "Leave")]
    [InlineData(500, "Leave")]
    [InlineData(503, "Leave")]
    public void Judge_ByStatus_KeepsSuccessesForgetsOtherAnswersAndLeavesErrors(int status, string expected)
    {
        using var response = HttpMessages.Response(status);

        Assert.Equal(Enum.Parse<StaleStorageKind>(expected), StaleStorageRule.Judge(response, FiveMinutes).Kind);
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("private")]
    [InlineData("private=\"Set-Cookie\"")]
    [InlineData("no-cache")]
    [InlineData("must-revalidate")]
    [InlineData("proxy-revalidate")]
    [InlineData("max-age=60, no-store")]
    [InlineData("public, max-age=60, must-revalidate, stale-if-error=600")]
    [InlineData("NO-STORE")]
    [InlineData("no-cache=\"Set-Cookie\"")]
    [InlineData("Private=\"X-Secret\", max-age=60")]

    // cc-parse.mjs: a malformed directive beside one that forbids (.NET's parser drops the whole line for it).
    [InlineData("no-store, max-age=a3600")]
    [InlineData("no-store, max-age=99999999999999999999")]
    [InlineData("max-age=\"3600\", private")]
    [InlineData("max-age=3600.0, no-cache")]
    [InlineData("must-revalidate, stale-if-error=-1;x")]
    public void Judge_ResponseThatForbidsStaleUse_IsNotKept(string cacheControl)
    {
        using var response = HttpMessages.Response(200, ("Cache-Control", cacheControl));

        Assert.Equal(StaleStorageKind.Forget, StaleStorageRule.Judge(response, FiveMinutes).Kind);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("Accept, *")]

    // vary-parse.mjs: a star among empty members or repeated; a member that is no field name cannot be matched either.
    [InlineData("*, *")]
    [InlineData(", *")]
    [InlineData("Foo, *")]
    [InlineData("Accept, \u00e9")]
    [InlineData("Accept, a b")]
    [InlineData("Accept, /")]
    public void Judge_VaryStar_IsNotKept(string vary)
    {
        using var response = HttpMessages.Response(200, ("Vary", vary));

        Assert.Equal(StaleStorageKind.Forget, StaleStorageRule.Judge(response, FiveMinutes).Kind);
    }

    [Fact]
    public void Judge_Vary_RecordsTheNamesLowerCaseSortedAndOnce()
    {
        using var response = HttpMessages.Response(200, ("Vary", "Accept-Language, accept"), ("Vary", "Accept"));

        Assert.Equal(["accept", "accept-language"], StaleStorageRule.Judge(response, FiveMinutes).Terms!.VaryNames);
    }

    [Fact]
    public void Judge_VaryStarOnASecondLine_IsNotKept()
    {
        using var response = HttpMessages.Response(200, ("Vary", ""), ("Vary", "*"));

        Assert.Equal(StaleStorageKind.Forget, StaleStorageRule.Judge(response, FiveMinutes).Kind);
    }

    [Fact]
    public void Judge_VaryWithOddSpacingCaseAndEmptyMembers_RecordsTheNames()
    {
        using var response = HttpMessages.Response(200, ("Vary", " ,ACCEPT ,\tX-Foo,, accept"));

        Assert.Equal(["accept", "x-foo"], StaleStorageRule.Judge(response, FiveMinutes).Terms!.VaryNames);
    }

    [Theory]
    [InlineData("max-age=60", null, null, 60)]
    [InlineData("max-age=\"3600\"", null, null, 3600)]
    [InlineData("max-age=1800, max-age=1", null, null, 1800)]
    [InlineData("max-age=3600.5", null, null, 0)]
    [InlineData("max-age=a3600", "Tue, 01 Dec 2026 12:00:00 GMT", "Tue, 01 Dec 2026 12:10:00 GMT", 0)]
    [InlineData("max-age=99999999999999999999", null, null, 2147483648L)]

    // expires-parse.mjs: an Expires or Date that is not a date is a response already stale.
    [InlineData(null, "Tue, 01 Dec 2026 12:00:00 GMT", "Thu, 18 Aug 50 02:01:18 GMT", 0)]
    [InlineData(null, "Tue, 01 Dec 2026 12:00:00 GMT", "0", 0)]
    [InlineData(null, "Tue, 01 Dec 2026 12:00:00 GMT", "-1", 0)]
    [InlineData(null, "soon", "Tue, 01 Dec 2026 12:10:00 GMT", 0)]
    [InlineData("public, max-age=0", null, null, 0)]
    [InlineData(null, "Tue, 01 Dec 2026 12:00:00 GMT", "Tue, 01 Dec 2026 12:10:00 GMT", 600)]
    [InlineData("max-age=30", "Tue, 01 Dec 2026 12:00:00 GMT", "Tue, 01 Dec 2026 12:10:00 GMT", 30)]
    [InlineData(null, "Tue, 01 Dec 2026 12:10:00 GMT", "Tue, 01 Dec 2026 12:00:00 GMT", 0)]
    [InlineData(null, null, "Tue, 01 Dec 2026 12:10:00 GMT", 0)]
    [InlineData("s-maxage=600", null, null, 0)]
    public void Judge_Lifetime_IsMaxAgeElseExpiresMinusDate(string? cacheControl, string? date, string? expires, long seconds)
    {
        using var response = HttpMessages.Response(200);
        response.Content = new ByteArrayContent([]);
        if (cacheControl is not null)
        {
            response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }

        if (date is not null)
        {
            response.Headers.TryAddWithoutValidation("Date", date);
        }

        if (expires is not null)
        {
            response.Content.Headers.TryAddWithoutValidation("Expires", expires);
        }

        Assert.Equal(TimeSpan.FromSeconds(seconds), StaleStorageRule.Judge(response, FiveMinutes).Terms!.Lifetime);
    }

    [Theory]
    [InlineData("max-age=60, stale-if-error=600", 600)]
    [InlineData("stale-if-error=\"30\"", 30)]
    [InlineData("STALE-IF-ERROR=5", 5)]
    [InlineData("stale-if-error=99999999999", 86400)]
    [InlineData("stale-if-error=99999999999999999999", 86400)]
    [InlineData("stale-if-error=60, stale-if-error=600", 60)]
    [InlineData("stale-if-error=1.5", null)]
    [InlineData("stale-if-error=, max-age=5", null)]
    [InlineData("stale-if-error=-1", null)]
    [InlineData("stale-if-error=soon", null)]
    [InlineData("stale-if-error", null)]
    [InlineData("stale-while-revalidate=60", null)]
    public void Judge_StaleIfErrorDirective_IsTheServersGrantInSeconds(string cacheControl, int? seconds)
    {
        using var response = HttpMessages.Response(200, ("Cache-Control", cacheControl));

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, StaleStorageRule.Judge(response, FiveMinutes).Terms!.ServerGrant);
    }

    [Fact]
    public void Judge_AgeHeader_IsTheInitialAge()
    {
        using var response = HttpMessages.Response(200, ("Age", "42"));

        Assert.Equal(TimeSpan.FromSeconds(42), StaleStorageRule.Judge(response, FiveMinutes).Terms!.InitialAge);
    }

    // age-parse.mjs: a value that is not a whole number of seconds is ignored; the first value counts; a huge one is old.
    [Theory]
    [InlineData("abc", 0L)]
    [InlineData("-7200", 0L)]
    [InlineData("7200.0", 0L)]
    [InlineData("1e99", 0L)]
    [InlineData("0, 7200", 0L)]
    [InlineData("100, 0", 100L)]
    [InlineData("100;foo=bar", 100L)]
    [InlineData(" 42 ", 42L)]
    [InlineData("2147483647", 2147483647L)]
    [InlineData("2147483648", 2147483648L)]
    [InlineData("99999999999999999999", 2147483648L)]
    public void Judge_AgeAsServersSendIt_IsReadAsTheRfcSays(string age, long seconds)
    {
        using var response = HttpMessages.Response(200, ("Age", age));

        var verdict = StaleStorageRule.Judge(response, StaleWindow.Longest + TimeSpan.FromSeconds(1));

        Assert.Equal(seconds >= 86_400 ? StaleStorageKind.Forget : StaleStorageKind.Keep, verdict.Kind);
        Assert.Equal(seconds >= 86_400 ? null : TimeSpan.FromSeconds(seconds), verdict.Terms?.InitialAge);
    }

    [Fact]
    public void Judge_AgeOnTwoLines_ReadsTheFirst()
    {
        using var response = HttpMessages.Response(200, ("Age", "7200"), ("Age", "0"));

        Assert.Equal(StaleStorageKind.Forget, StaleStorageRule.Judge(response, FiveMinutes).Kind);
    }

    [Theory]
    [InlineData("300", null, "Forget")]
    [InlineData("2147483648", "stale-if-error=86400", "Forget")]
    [InlineData("99999999999999999999", null, "Forget")]
    [InlineData("299", null, "Keep")]
    [InlineData("3000", "stale-if-error=3600", "Keep")]
    public void Judge_ResponseAlreadyOlderThanItsWindow_IsNotKept(string age, string? cacheControl, string expected)
    {
        using var response = HttpMessages.Response(200, ("Age", age));
        if (cacheControl is not null)
        {
            response.Headers.TryAddWithoutValidation("Cache-Control", cacheControl);
        }

        Assert.Equal(Enum.Parse<StaleStorageKind>(expected), StaleStorageRule.Judge(response, FiveMinutes).Kind);
    }

    [Theory]
    [InlineData("Cache-Control", "max-age=\"")]
    [InlineData("Cache-Control", ",,,=")]
    [InlineData("Vary", "\u00e9")]
    [InlineData("Age", "-5")]
    [InlineData("Age", "99999999999999999999")]
    [InlineData("Age", "1e99")]
    [InlineData("Cache-Control", "max-age=99999999999999999999, stale-if-error=99999999999999999999")]
    [InlineData("Cache-Control", "stale-if-error=-1")]
    [InlineData("Cache-Control", "\"")]
    [InlineData("Cache-Control", "a=\"\\")]
    public void Judge_MalformedHeaders_NeverThrow(string name, string value)
    {
        using var response = HttpMessages.Response(200, (name, value));

        var verdict = StaleStorageRule.Judge(response, FiveMinutes);

        Assert.True(Enum.IsDefined(verdict.Kind));
    }
}
