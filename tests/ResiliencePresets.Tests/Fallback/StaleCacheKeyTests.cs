using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Fallback;

public sealed class StaleCacheKeyTests
{
    [Theory]
    [InlineData("Authorization", "Bearer alice-token", "Bearer bob-token")]
    [InlineData("Cookie", "session=alice", "session=bob")]
    [InlineData("Proxy-Authorization", "Basic YWxpY2U6eA==", "Basic Ym9iOng=")]
    public void For_DifferentCallers_GiveDifferentKeys(string header, string first, string second)
    {
        using var alice = HttpMessages.Request("GET", (header, first));
        using var bob = HttpMessages.Request("GET", (header, second));
        using var anonymous = HttpMessages.Request("GET");

        var keys = new[] { StaleCacheKey.For("api", alice), StaleCacheKey.For("api", bob), StaleCacheKey.For("api", anonymous) };

        Assert.Equal(3, keys.Distinct().Count());
    }

    [Fact]
    public void For_EmptyCredentialAndNoCredential_GiveDifferentKeys()
    {
        using var empty = HttpMessages.Request("GET", ("Cookie", string.Empty));
        using var none = HttpMessages.Request("GET");

        Assert.NotEqual(StaleCacheKey.For("api", empty), StaleCacheKey.For("api", none));
    }

    [Fact]
    public void For_SameRequest_GivesTheSameKey()
    {
        using var first = HttpMessages.Request("GET", ("Authorization", "Bearer alice-token"), ("Accept", "text/plain"));
        using var second = HttpMessages.Request("GET", ("Authorization", "Bearer alice-token"), ("Accept", "application/json"));

        Assert.Equal(StaleCacheKey.For("api", first), StaleCacheKey.For("api", second));
    }

    [Fact]
    public void For_ClientMethodAndQuery_EachSeparateKeys()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=1");
        using var head = new HttpRequestMessage(HttpMethod.Head, "https://api.test/items?page=1");
        using var otherPage = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=2");
        using var fragment = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=1#top");

        var keys = new[] { StaleCacheKey.For("api", get), StaleCacheKey.For("other", get), StaleCacheKey.For("api", head), StaleCacheKey.For("api", otherPage) };

        Assert.Equal(4, keys.Distinct().Count());
        Assert.Equal(StaleCacheKey.For("api", get), StaleCacheKey.For("api", fragment));
    }

    [Fact]
    public void For_KeyHoldsNoUrlAndNoHeaderValue()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?api_key=s3cr3t");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer tok3n");
        request.Headers.TryAddWithoutValidation("Cookie", "session=c00kie");

        var key = StaleCacheKey.For("api", request);

        Assert.Matches("^resiliencepresets:stale:[0-9a-f]{64}$", key);
    }

    [Fact]
    public void VaryHash_FollowsOnlyTheNamedHeaders()
    {
        using var english = HttpMessages.Request("GET", ("Accept-Language", "en"), ("User-Agent", "a"));
        using var englishOtherAgent = HttpMessages.Request("GET", ("Accept-Language", "en"), ("User-Agent", "b"));
        using var french = HttpMessages.Request("GET", ("Accept-Language", "fr"));
        using var none = HttpMessages.Request("GET");
        string[] names = ["accept-language"];

        Assert.Equal(StaleCacheKey.VaryHash(english, names), StaleCacheKey.VaryHash(englishOtherAgent, names));
        Assert.NotEqual(StaleCacheKey.VaryHash(english, names), StaleCacheKey.VaryHash(french, names));
        Assert.NotEqual(StaleCacheKey.VaryHash(english, names), StaleCacheKey.VaryHash(none, names));
        Assert.Equal(string.Empty, StaleCacheKey.VaryHash(english, []));
    }
}
