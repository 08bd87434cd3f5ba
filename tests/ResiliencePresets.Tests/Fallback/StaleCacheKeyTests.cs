using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Fallback;

public sealed class StaleCacheKeyTests
{
    [Theory]
    [InlineData("Authorization", "Bearer alice-token", "Bearer bob-token")]
    [InlineData("Cookie", "session=alice", "session=bob")]
    [InlineData("Proxy-Authorization", "Basic YWxpY2U6eA==", "Basic Ym9iOng=")]
    [InlineData("X-Api-Key", "alice-key", "bob-key")]
    [InlineData("api-key", "alice-key", "bob-key")]
    [InlineData("x-api-key", "sk-ant-alice", "sk-ant-bob")]
    [InlineData("X-Goog-Api-Key", "alice-key", "bob-key")]
    [InlineData("Ocp-Apim-Subscription-Key", "alice-key", "bob-key")]
    [InlineData("X-Tenant-Id", "alice", "bob")]
    [InlineData("baggage", "user.id=alice", "user.id=bob")]
    [InlineData("Referer", "https://app.test/users/alice", "https://app.test/users/bob")]
    public void For_DifferentCallers_GiveDifferentKeys(string header, string first, string second)
    {
        using var alice = HttpMessages.Request("GET", (header, first));
        using var bob = HttpMessages.Request("GET", (header, second));
        using var anonymous = HttpMessages.Request("GET");

        var keys = new[] { Key("api", alice), Key("api", bob), Key("api", anonymous) };

        Assert.Equal(3, keys.Distinct().Count());
    }

    [Theory]
    [InlineData("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("tracestate", "congo=t61rcWkgMzE", "rojo=00f067aa0ba902b7")]
    [InlineData("Request-Id", "|a1.1.", "|b2.1.")]
    [InlineData("X-Request-Id", "1", "2")]
    [InlineData("X-Correlation-Id", "1", "2")]
    [InlineData("X-Amzn-Trace-Id", "Root=1-a", "Root=1-b")]
    [InlineData("x-ms-client-request-id", "1", "2")]
    [InlineData("x-ms-date", "Fri, 04 Dec 2026 18:00:00 GMT", "Fri, 04 Dec 2026 18:00:01 GMT")]
    [InlineData("amz-sdk-invocation-id", "1", "2")]
    [InlineData("Idempotency-Key", "k-1", "k-2")]
    [InlineData("If-None-Match", "\"a\"", "\"b\"")]
    [InlineData("User-Agent", "app/1", "app/2")]
    public void For_HeadersThatNameOneRequestOrNegotiate_DoNotSplitTheKey(string header, string first, string second)
    {
        using var one = HttpMessages.Request("GET", ("Authorization", "Bearer alice-token"), (header, first));
        using var other = HttpMessages.Request("GET", ("Authorization", "Bearer alice-token"), (header, second));
        using var without = HttpMessages.Request("GET", ("Authorization", "Bearer alice-token"));

        Assert.Equal(Key("api", one), Key("api", other));
        Assert.Equal(Key("api", one), Key("api", without));
    }

    [Fact]
    public void For_TheConfiguredIdempotencyHeader_DoesNotSplitTheKey()
    {
        using var one = HttpMessages.Request("GET", ("X-Request-Key", "k-1"));
        using var other = HttpMessages.Request("GET", ("X-Request-Key", "k-2"));

        Assert.Equal(StaleCacheKey.For("api", one, "X-Request-Key"), StaleCacheKey.For("api", other, "X-Request-Key"));
        Assert.NotEqual(StaleCacheKey.For("api", one, IdempotencyKeyOptions.DefaultHeaderName), StaleCacheKey.For("api", other, IdempotencyKeyOptions.DefaultHeaderName));
    }

    [Fact]
    public void For_CallerHeadersInAnotherOrderOrCase_GiveTheSameKey()
    {
        using var first = HttpMessages.Request("GET", ("X-Api-Key", "alice-key"), ("X-Tenant-Id", "alice"));
        using var second = HttpMessages.Request("GET", ("x-tenant-id", "alice"), ("x-api-key", "alice-key"));

        Assert.Equal(Key("api", first), Key("api", second));
    }

    [Fact]
    public void For_AValueMovedFromOneHeaderToAnother_GivesAnotherKey()
    {
        using var first = HttpMessages.Request("GET", ("X-Api-Key", "alice"), ("X-Tenant-Id", string.Empty));
        using var second = HttpMessages.Request("GET", ("X-Api-Key", string.Empty), ("X-Tenant-Id", "alice"));

        Assert.NotEqual(Key("api", first), Key("api", second));
    }

    [Fact]
    public void For_OneValueUnderAnotherHeader_GivesAnotherKey()
    {
        using var key = HttpMessages.Request("GET", ("X-Api-Key", "alice"));
        using var tenant = HttpMessages.Request("GET", ("X-Tenant-Id", "alice"));

        Assert.NotEqual(Key("api", key), Key("api", tenant));
    }

    [Fact]
    public void For_NamesAndValuesThatRunTogetherAlike_GiveDifferentKeys()
    {
        using var first = HttpMessages.Request("GET", ("X-A", "bc"));
        using var second = HttpMessages.Request("GET", ("X-Ab", "c"));

        Assert.NotEqual(Key("api", first), Key("api", second));
    }

    [Fact]
    public void For_EmptyCredentialAndNoCredential_GiveDifferentKeys()
    {
        using var empty = HttpMessages.Request("GET", ("Cookie", string.Empty));
        using var none = HttpMessages.Request("GET");

        Assert.NotEqual(Key("api", empty), Key("api", none));
    }

    [Fact]
    public void For_SameRequest_GivesTheSameKey()
    {
        using var first = HttpMessages.Request("GET", ("Authorization", "Bearer alice-token"), ("Accept", "text/plain"));
        using var second = HttpMessages.Request("GET", ("Authorization", "Bearer alice-token"), ("Accept", "application/json"));

        Assert.Equal(Key("api", first), Key("api", second));
    }

    [Fact]
    public void For_ClientMethodAndQuery_EachSeparateKeys()
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=1");
        using var head = new HttpRequestMessage(HttpMethod.Head, "https://api.test/items?page=1");
        using var otherPage = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=2");
        using var fragment = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=1#top");

        var keys = new[] { Key("api", get), Key("other", get), Key("api", head), Key("api", otherPage) };

        Assert.Equal(4, keys.Distinct().Count());
        Assert.Equal(Key("api", get), Key("api", fragment));
    }

    [Fact]
    public void For_KeyHoldsNoUrlAndNoHeaderValue()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?api_key=s3cr3t");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer tok3n");
        request.Headers.TryAddWithoutValidation("Cookie", "session=c00kie");

        var key = Key("api", request);

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

    private static string Key(string clientName, HttpRequestMessage request) => StaleCacheKey.For(clientName, request, IdempotencyKeyOptions.DefaultHeaderName);
}
