namespace ResiliencePresets.Tests.Hedging;

public sealed class HedgedRequestTests
{
    [Fact]
    public void Copy_CarriesMethodUrlVersionHeadersAndOptions_InANewMessage()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=2")
        {
            Version = new Version(2, 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionOrHigher,
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer token");
        request.Headers.TryAddWithoutValidation("Accept", ["application/json", "text/plain"]);
        request.Headers.TryAddWithoutValidation("X-Odd", "not;a=valid\"value");
        var key = new HttpRequestOptionsKey<string>("trace");
        request.Options.Set(key, "abc");

        using var copy = HedgedRequest.Copy(request);

        Assert.NotSame(request, copy);
        Assert.Equal(HttpMethod.Get, copy.Method);
        Assert.Equal(request.RequestUri, copy.RequestUri);
        Assert.Equal(new Version(2, 0), copy.Version);
        Assert.Equal(HttpVersionPolicy.RequestVersionOrHigher, copy.VersionPolicy);
        Assert.Equal(["Bearer token"], copy.Headers.NonValidated["Authorization"]);
        Assert.Equal(["application/json", "text/plain"], copy.Headers.NonValidated["Accept"]);
        Assert.Equal(["not;a=valid\"value"], copy.Headers.NonValidated["X-Odd"]);
        Assert.True(copy.Options.TryGetValue(key, out var value) && value == "abc");
        Assert.Null(copy.Content);
    }
}
