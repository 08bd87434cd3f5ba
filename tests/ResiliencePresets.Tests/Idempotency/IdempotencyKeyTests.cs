using static ResiliencePresets.Tests.TestSupport.HttpMessages;

namespace ResiliencePresets.Tests.Idempotency;

public sealed class IdempotencyKeyTests
{
    private const string Key = IdempotencyKeyOptions.DefaultHeaderName;

    // Each value is added as its own header value: "|" separates values in the request's headers from those in its content's.
    [Theory]
    [InlineData("", "", "None", null)]
    [InlineData(" ", "", "None", null)]
    [InlineData("", "\t", "None", null)]
    [InlineData("order-42", "", "One", "order-42")]
    [InlineData("", "order-42", "One", "order-42")]
    [InlineData("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "", "One", "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"")]
    [InlineData("a, b", "", "One", "a, b")]
    [InlineData("order-42;", "", "One", "order-42")]
    [InlineData("order-42;   ", "; ", "One", "order-42")]
    [InlineData(";", "", "None", null)]
    [InlineData(" ;\t", " ", "None", null)]
    [InlineData("order-42;order-43", "", "Several", null)]
    [InlineData("order-42;order-42", "", "Several", null)]
    [InlineData("order-42", "order-42", "Several", null)]
    [InlineData("order-42", "order-43", "Several", null)]
    public void Read_ValuesInTheRequestAndItsContent_CountOnlyWhenNotBlank(string inHeaders, string inContent, string expected, string? expectedKey)
    {
        using var request = RequestWith(inHeaders, inContent);

        var presence = IdempotencyKey.Read(request, Key, out var key);

        Assert.Equal(expected, presence.ToString());
        if (presence == IdempotencyKeyPresence.One)
        {
            Assert.Equal(expectedKey, key);
            Assert.True(IdempotencyKey.TryRead(request, Key, out var read));
            Assert.Equal(expectedKey, read);
        }
        else
        {
            Assert.False(IdempotencyKey.TryRead(request, Key, out _));
        }
    }

    [Fact]
    public void Read_HeaderNameInAnotherCase_FindsTheKey()
    {
        using var request = Request("POST", ("idempotency-key", "order-42"));

        Assert.True(IdempotencyKey.TryRead(request, "IDEMPOTENCY-KEY", out var key));
        Assert.Equal("order-42", key);
    }

    [Fact]
    public void Read_RequestWithoutContent_LooksInItsHeadersOnly()
    {
        using var request = Request("POST");

        Assert.Equal(IdempotencyKeyPresence.None, IdempotencyKey.Read(request, Key, out var key));
        Assert.Null(key);
    }

    [Fact]
    public void RemoveBlankValues_BlankValuesBesideAKey_LeavesOnlyTheKey()
    {
        using var request = RequestWith(" ;order-42;", ";");

        IdempotencyKey.RemoveBlankValues(request, Key);

        Assert.Equal(["order-42"], request.Headers.NonValidated[Key]);
        Assert.False(request.Content!.Headers.NonValidated.Contains(Key));
    }

    [Fact]
    public void RemoveBlankValues_NoBlankValue_LeavesTheHeadersAsTheyAre()
    {
        using var request = RequestWith("order-42;order-43", "order-44");

        IdempotencyKey.RemoveBlankValues(request, Key);

        Assert.Equal(["order-42", "order-43"], request.Headers.NonValidated[Key]);
        Assert.Equal(["order-44"], request.Content!.Headers.NonValidated[Key]);
    }

    private static HttpRequestMessage RequestWith(string inHeaders, string inContent)
    {
        var request = Request("POST");
        request.Content = new StringContent("{}");
        Add(request.Headers, inHeaders);
        Add(request.Content.Headers, inContent);
        return request;
    }

    private static void Add(System.Net.Http.Headers.HttpHeaders headers, string values)
    {
        if (values.Length == 0)
        {
            return;
        }

        foreach (var value in values.Split(';'))
        {
            Assert.True(headers.TryAddWithoutValidation(Key, value), $"The test could not add '{value}'.");
        }
    }
}
