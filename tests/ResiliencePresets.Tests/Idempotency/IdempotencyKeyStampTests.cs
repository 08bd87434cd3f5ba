using static ResiliencePresets.Tests.TestSupport.HttpMessages;

namespace ResiliencePresets.Tests.Idempotency;

public sealed class IdempotencyKeyStampTests
{
    private const string Key = IdempotencyKeyOptions.DefaultHeaderName;

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("CONNECT")]
    [InlineData("PURGE")]
    public void Apply_UnsafeMethodWithoutKey_AddsOneNewUuid(string method)
    {
        using var request = Request(method);

        IdempotencyKeyStamp.Apply(request, Key);

        var value = Assert.Single(request.Headers.GetValues(Key));
        Assert.True(Guid.TryParseExact(value, "D", out var key), value);
        Assert.NotEqual(Guid.Empty, key);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    [InlineData("TRACE")]
    [InlineData("get")]
    public void Apply_SafeMethod_AddsNoKey(string method)
    {
        using var request = Request(method);

        IdempotencyKeyStamp.Apply(request, Key);

        Assert.False(request.Headers.Contains(Key));
    }

    [Fact]
    public void Apply_Twice_KeepsTheFirstKey()
    {
        using var request = Request("POST");

        IdempotencyKeyStamp.Apply(request, Key);
        var first = Assert.Single(request.Headers.GetValues(Key));
        IdempotencyKeyStamp.Apply(request, Key);

        Assert.Equal(first, Assert.Single(request.Headers.GetValues(Key)));
    }

    [Fact]
    public void Apply_TwoRequests_GetDifferentKeys()
    {
        using var first = Request("POST");
        using var second = Request("POST");

        IdempotencyKeyStamp.Apply(first, Key);
        IdempotencyKeyStamp.Apply(second, Key);

        Assert.NotEqual(Assert.Single(first.Headers.GetValues(Key)), Assert.Single(second.Headers.GetValues(Key)));
    }

    [Theory]
    [InlineData(Key, "order-42")]
    [InlineData("idempotency-key", "order-42")]
    [InlineData("IDEMPOTENCY-KEY", "not a uuid, kept as it is")]
    public void Apply_CallersKey_IsKeptUnchanged(string header, string value)
    {
        using var request = Request("POST", (header, value));

        IdempotencyKeyStamp.Apply(request, Key);

        Assert.Equal(value, Assert.Single(request.Headers.GetValues(Key)));
    }

    // Regression: a blank caller key counted as a key, so nothing was stamped and a payment was retried with a blank key.
    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t ")]
    public void Apply_BlankCallersKey_IsReplacedByOneNewUuid(string blank)
    {
        using var request = Request("POST", (Key, blank));

        IdempotencyKeyStamp.Apply(request, Key);

        Assert.True(Guid.TryParseExact(Assert.Single(request.Headers.NonValidated[Key]), "D", out _));
    }

    [Fact]
    public void Apply_BlankKeyOnTheContent_IsRemovedAndOneNewUuidStamped()
    {
        using var request = Request("POST");
        request.Content = new StringContent("{}");
        request.Content.Headers.TryAddWithoutValidation(Key, " ");

        IdempotencyKeyStamp.Apply(request, Key);

        Assert.False(request.Content.Headers.NonValidated.Contains(Key));
        Assert.True(Guid.TryParseExact(Assert.Single(request.Headers.NonValidated[Key]), "D", out _));
    }

    // Regression: a key on request.Content.Headers was not seen, so a second one was stamped and both went on the wire.
    [Fact]
    public void Apply_CallersKeyOnTheContent_IsKeptThereAndNothingIsStamped()
    {
        using var request = Request("POST");
        request.Content = new StringContent("{}");
        request.Content.Headers.TryAddWithoutValidation(Key, "order-42");

        IdempotencyKeyStamp.Apply(request, Key);

        Assert.False(request.Headers.NonValidated.Contains(Key));
        Assert.Equal(["order-42"], request.Content.Headers.NonValidated[Key]);
    }

    [Fact]
    public void Apply_BlankValuesBesideTheCallersKey_AreRemovedAndTheKeyKept()
    {
        using var request = Request("POST", (Key, ""), (Key, "order-42"), (Key, " "));

        IdempotencyKeyStamp.Apply(request, Key);

        Assert.Equal(["order-42"], request.Headers.NonValidated[Key]);
    }

    [Fact]
    public void Apply_SeveralCallersKeys_StampsNoOtherKey()
    {
        using var request = Request("POST", (Key, "order-42"));
        request.Content = new StringContent("{}");
        request.Content.Headers.TryAddWithoutValidation(Key, "order-43");

        IdempotencyKeyStamp.Apply(request, Key);

        Assert.Equal(["order-42"], request.Headers.NonValidated[Key]);
        Assert.Equal(["order-43"], request.Content.Headers.NonValidated[Key]);
    }

    [Fact]
    public void Apply_SafeMethodWithABlankKey_LeavesTheRequestAsItIs()
    {
        using var request = Request("GET", (Key, " "));

        IdempotencyKeyStamp.Apply(request, Key);

        Assert.Equal([" "], request.Headers.NonValidated[Key]);
    }

    [Fact]
    public void Apply_CustomHeaderName_StampsThatHeaderOnly()
    {
        using var request = Request("POST");

        IdempotencyKeyStamp.Apply(request, "X-Request-Key");

        Assert.True(Guid.TryParse(Assert.Single(request.Headers.GetValues("X-Request-Key")), out _));
        Assert.False(request.Headers.Contains(Key));
    }

    [Fact]
    public void Apply_CustomHeaderNameWhileTheDefaultHeaderIsSet_StillStampsTheCustomHeader()
    {
        using var request = Request("POST", (Key, "order-42"));

        IdempotencyKeyStamp.Apply(request, "X-Request-Key");

        Assert.Single(request.Headers.GetValues("X-Request-Key"));
        Assert.Equal("order-42", Assert.Single(request.Headers.GetValues(Key)));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("TRACE", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("DELETE", false)]
    [InlineData("PATCH", false)]
    [InlineData("CONNECT", false)]
    public void IsSafe_Method_FollowsRfc9110(string method, bool expected)
    {
        Assert.Equal(expected, IdempotencyKeyStamp.IsSafe(new HttpMethod(method)));
    }
}
