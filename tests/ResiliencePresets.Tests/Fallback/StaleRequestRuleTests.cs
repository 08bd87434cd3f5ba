using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Fallback;

public sealed class StaleRequestRuleTests
{
    [Theory]
    [InlineData("GET", null, true)]
    [InlineData("HEAD", null, true)]
    [InlineData("POST", null, false)]
    [InlineData("GET", "no-store", false)]
    [InlineData("GET", "No-Cache", false)]
    [InlineData("GET", "max-age=0", true)]

    // cc-request.mjs and cc-parse.mjs: a request directive beside a malformed one still counts.
    [InlineData("GET", "no-cache, max-age=a3600", false)]
    [InlineData("GET", "max-stale=\"x\", no-store", false)]
    [InlineData("GET", "ext=\"no-store\"", true)]
    public void TakesPart_ByMethodAndTheRequestsOwnCacheControl(string method, string? cacheControl, bool expected)
    {
        using var request = cacheControl is null ? HttpMessages.Request(method) : HttpMessages.Request(method, ("Cache-Control", cacheControl));

        Assert.Equal(expected, StaleRequestRule.TakesPart(request));
    }
}
