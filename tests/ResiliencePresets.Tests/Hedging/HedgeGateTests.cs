namespace ResiliencePresets.Tests.Hedging;

public sealed class HedgeGateTests
{
    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", true)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "HEAD", true)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "OPTIONS", true)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "TRACE", true)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "GET", true)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PUT", false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "DELETE", false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PATCH", false)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", false)]
    public void MayHedge_OnlySafeMethodsThePresetRetries(string presetName, string method, bool expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.test/items");

        Assert.Equal(expected, HedgeGate.MayHedge(request, Preset(presetName)));
    }

    [Fact]
    public void MayHedge_GetThePresetNeverRetries_IsNotHedged()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items");

        Assert.False(HedgeGate.MayHedge(request, Preset(ResiliencePresetNames.ReadOnlyApi, o => o.Methods["GET"] = MethodRetryRule.Never)));
    }

    [Fact]
    public void MayHedge_GetWithABody_IsNotHedged()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/search") { Content = new StringContent("{}") };

        Assert.False(HedgeGate.MayHedge(request, Preset(ResiliencePresetNames.ReadOnlyApi)));
    }

    [Theory]
    [InlineData("key-1")]
    [InlineData(" ")]
    public void MayHedge_GetWithAnIdempotencyKeyHeader_IsNotHedged(string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", value);

        Assert.False(HedgeGate.MayHedge(request, Preset(ResiliencePresetNames.ReadOnlyApi)));
    }

    [Fact]
    public void MayHedge_ReadsThePresetsOwnKeyHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items");
        request.Headers.TryAddWithoutValidation("X-Request-Key", "k");

        Assert.False(HedgeGate.MayHedge(request, Preset(ResiliencePresetNames.ReadOnlyApi, o => o.Idempotency.HeaderName = "X-Request-Key")));
        Assert.True(HedgeGate.MayHedge(request, Preset(ResiliencePresetNames.ReadOnlyApi)));
    }

    private static CompiledPreset Preset(string name, Action<ResiliencePresetOptions>? configure = null)
    {
        var options = BuiltInPresets.Create(name);
        configure?.Invoke(options);
        return new CompiledPreset(name, "api", options);
    }
}
