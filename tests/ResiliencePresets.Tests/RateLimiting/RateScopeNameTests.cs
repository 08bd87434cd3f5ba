using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.RateLimiting;

public sealed class RateScopeNameTests
{
    [Theory]
    [InlineData("core", "core")]
    [InlineData("search", "search")]
    [InlineData("code_search", "code_search")]
    [InlineData("graphql", "graphql")]
    [InlineData(" integration_manifest ", "integration_manifest")]
    [InlineData("a.b-c_D9", "a.b-c_D9")]
    [InlineData("", null)]
    [InlineData("core search", null)]
    [InlineData("core,search", null)]
    [InlineData("c\u00f6re", null)]
    [InlineData("core/../x", null)]
    [InlineData("\"core\"", null)]
    public void Read_GitHubResource_IsTheNameWhenItIsPlain(string value, string? expected)
    {
        using var response = HttpMessages.Response(200, ("x-ratelimit-resource", value));

        Assert.Equal(expected, RateScopeName.Read(response, null));
    }

    [Fact]
    public void Read_NameLongerThanTheBound_IsNoName()
    {
        using var fits = HttpMessages.Response(200, ("x-ratelimit-resource", new string('r', RateScopeName.MaxLength)));
        using var tooLong = HttpMessages.Response(200, ("x-ratelimit-resource", new string('r', RateScopeName.MaxLength + 1)));

        Assert.NotNull(RateScopeName.Read(fits, null));
        Assert.Null(RateScopeName.Read(tooLong, null));
    }

    [Fact]
    public void Read_SeveralResources_IsNoName()
    {
        using var response = HttpMessages.Response(200);
        response.Headers.TryAddWithoutValidation("x-ratelimit-resource", ["core", "search"]);

        Assert.Null(RateScopeName.Read(response, null));
    }

    [Theory]
    [InlineData("\"default\";r=0;t=30", "default")]
    [InlineData("\"burst\";r=5;t=1, \"daily\";r=900;t=3600", "daily")]
    [InlineData("\"has space\";r=0;t=30", null)]
    [InlineData("limit=100, remaining=0, reset=30", null)]
    public void Read_RateLimitField_IsTheDecidingPolicysName(string field, string? expected)
    {
        using var response = HttpMessages.Response(429, ("RateLimit", field));
        QuotaReading? quota = RateLimitHeaders.TryReadQuota(response, DateTimeOffset.UnixEpoch, out var read) ? read : null;

        Assert.Equal(expected, RateScopeName.Read(response, quota));
    }

    [Fact]
    public void Read_GitHubResourceAndAPolicy_IsTheResource()
    {
        using var response = HttpMessages.Response(429, ("RateLimit", "\"default\";r=0;t=30"), ("x-ratelimit-resource", "search"));
        RateLimitHeaders.TryReadQuota(response, DateTimeOffset.UnixEpoch, out var quota);

        Assert.Equal("search", RateScopeName.Read(response, quota));
    }
}
