using static ResiliencePresets.Tests.TestSupport.HttpMessages;

namespace ResiliencePresets.Tests.Classification;

public sealed class MethodGateTests
{
    private const string Key = IdempotencyKeyOptions.DefaultHeaderName;

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "HEAD", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "OPTIONS", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "TRACE", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", MethodRetryRule.Never)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "PUT", MethodRetryRule.Never)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "PATCH", MethodRetryRule.Never)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "DELETE", MethodRetryRule.Never)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "GET", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "HEAD", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PUT", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "DELETE", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", MethodRetryRule.WithIdempotencyKey)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PATCH", MethodRetryRule.WithIdempotencyKey)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "GET", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "PUT", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "DELETE", MethodRetryRule.Retry)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", MethodRetryRule.WithIdempotencyKey)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "PATCH", MethodRetryRule.WithIdempotencyKey)]
    public void RuleFor_BuiltInPreset_IsThePresetsMethodRule(string preset, string method, MethodRetryRule expected)
    {
        Assert.Equal(expected, GateFor(preset).RuleFor(new HttpMethod(method)));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "CONNECT")]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "PURGE")]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "CONNECT")]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PROPFIND")]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "CONNECT")]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "QUERY")]
    public void RuleFor_MethodThePresetDoesNotList_IsNever(string preset, string method)
    {
        Assert.Equal(MethodRetryRule.Never, GateFor(preset).RuleFor(new HttpMethod(method)));
    }

    [Theory]
    [InlineData("get")]
    [InlineData("Get")]
    [InlineData("gEt")]
    public void RuleFor_MethodInAnotherCase_FindsTheSameRule(string method)
    {
        Assert.Equal(MethodRetryRule.Retry, GateFor(ResiliencePresetNames.ReadOnlyApi).RuleFor(new HttpMethod(method)));
    }

    // mayHaveReachedServer false means the failure proves the server never saw the request (connection refused, DNS).
    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, true, true)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, false, true)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", false, true, false)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", false, false, false)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", true, true, false)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", true, false, false)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "PUT", true, true, false)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "DELETE", false, false, false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PUT", false, true, true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "DELETE", false, true, true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", false, true, false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", false, false, true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", true, true, true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", true, false, true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PATCH", false, true, false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PATCH", false, false, true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PATCH", true, true, true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "CONNECT", true, false, false)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", true, true, true)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", false, true, false)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", false, false, true)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "PATCH", true, true, true)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "PUT", false, true, true)]
    public void MayRetry_MethodKeyAndWhetherTheServerMayHaveSeenIt_DecideTogether(
        string preset, string method, bool hasKey, bool mayHaveReachedServer, bool expected)
    {
        using var request = hasKey ? Request(method, (Key, "3f0e4c1a-8d6b-4a52-9a7e-2b1d5c6e7f80")) : Request(method);

        Assert.Equal(expected, GateFor(preset).MayRetry(request, mayHaveReachedServer));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", true)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PUT", true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PURGE", false)]
    public void MayRetry_WithoutAFailure_IsFalseOnlyForMethodsThatAreNeverRetried(string preset, string method, bool expected)
    {
        using var request = Request(method);

        Assert.Equal(expected, GateFor(preset).MayRetry(request));
    }

    [Theory]
    [InlineData("X-Request-Key", true)]
    [InlineData("x-request-key", true)]
    [InlineData(Key, false)]
    public void MayRetry_CustomKeyHeader_OnlyThatHeaderCounts(string headerSent, bool expected)
    {
        var gate = new MethodGate([new KeyValuePair<string, MethodRetryRule>("POST", MethodRetryRule.WithIdempotencyKey)], "X-Request-Key");
        using var request = Request("POST", (headerSent, "k-1"));

        Assert.Equal(expected, gate.MayRetry(request, mayHaveReachedServer: true));
    }

    [Fact]
    public void MayRetry_KeyHeaderInAnotherCase_CountsAsTheKey()
    {
        using var request = Request("POST", ("idempotency-key", "k-1"));

        Assert.True(GateFor(ResiliencePresetNames.IdempotentWrite).MayRetry(request, mayHaveReachedServer: true));
    }

    // Regression: a blank key counted as a key, so a POST under IdempotentWrite was retried after it may have reached the server.
    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t")]
    public void MayRetry_BlankKey_IsNoKey(string blank)
    {
        using var request = Request("POST", (Key, blank));

        Assert.False(GateFor(ResiliencePresetNames.IdempotentWrite).MayRetry(request, mayHaveReachedServer: true));
        Assert.True(GateFor(ResiliencePresetNames.IdempotentWrite).MayRetry(request, mayHaveReachedServer: false));
    }

    // Regression: a key on request.Content.Headers was not seen.
    [Fact]
    public void MayRetry_KeyOnTheContent_CountsAsTheKey()
    {
        using var request = Request("PATCH");
        request.Content = new StringContent("{}");
        request.Content.Headers.TryAddWithoutValidation(Key, "k-1");

        Assert.True(GateFor(ResiliencePresetNames.IdempotentWrite).MayRetry(request, mayHaveReachedServer: true));
    }

    [Theory]
    [InlineData("k-1", "k-2")]
    [InlineData("k-1", "k-1")]
    public void MayRetry_SeveralKeys_IsNoKey(string inHeaders, string inContent)
    {
        using var request = Request("POST", (Key, inHeaders));
        request.Content = new StringContent("{}");
        request.Content.Headers.TryAddWithoutValidation(Key, inContent);

        Assert.False(GateFor(ResiliencePresetNames.PaymentWithIdempotencyKey).MayRetry(request, mayHaveReachedServer: true));
    }

    [Fact]
    public void Constructor_RulesKeyedInAnyCase_MatchMethodsInAnyCase()
    {
        var gate = new MethodGate([new KeyValuePair<string, MethodRetryRule>("put", MethodRetryRule.Retry)], Key);

        Assert.Equal(MethodRetryRule.Retry, gate.RuleFor(HttpMethod.Put));
    }

    private static MethodGate GateFor(string preset)
    {
        var options = BuiltInPresets.Create(preset);
        return new MethodGate(options.Methods, options.Idempotency.HeaderName);
    }
}
