using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Hedging;

public sealed class HedgingConfigurationTests
{
    [Fact]
    public async Task HedgingUnderPaymentWithIdempotencyKey_StopsTheHostWithTheFullPath()
    {
        var error = await StartFailure("""
            { "ResiliencePresets": { "Clients": { "payments": { "Hedging": { "Enabled": true } } } } }
            """, ResiliencePresetNames.PaymentWithIdempotencyKey);

        Assert.Contains(
            "ResiliencePresets:Clients:payments:Hedging:Enabled is true; it must be false when Idempotency:AddMissingKey is true (PaymentWithIdempotencyKey): hedges would send one idempotency key twice at once.",
            error.Failures);
    }

    [Fact]
    public async Task StampingKeysForAClientWhosePresetHedges_IsAnError()
    {
        var error = await StartFailure("""
            { "ResiliencePresets": {
                "Presets": { "Reads": { "BasedOn": "ReadOnlyApi", "Hedging": { "Enabled": true } } },
                "Clients": { "payments": { "Idempotency": { "AddMissingKey": true } } } } }
            """, "Reads");

        Assert.Contains(
            "ResiliencePresets:Presets:Reads:Hedging:Enabled is true; it must be false when Idempotency:AddMissingKey is true (PaymentWithIdempotencyKey): hedges would send one idempotency key twice at once.",
            error.Failures);
    }

    [Theory]
    [InlineData("Delay", "00:00:00", "ResiliencePresets:Clients:payments:Hedging:Delay is 00:00:00; it must be between 00:00:00.0010000 and 01:00:00.")]
    [InlineData("Percentile", "40", "ResiliencePresets:Clients:payments:Hedging:Percentile is 40; it must be 0 (off) or between 50 and 99.9.")]
    [InlineData("Percentile", "100", "ResiliencePresets:Clients:payments:Hedging:Percentile is 100; it must be 0 (off) or between 50 and 99.9.")]
    [InlineData("MaxHedgedAttempts", "0", "ResiliencePresets:Clients:payments:Hedging:MaxHedgedAttempts is 0; it must be between 1 and 10.")]
    [InlineData("MaxHedgedAttempts", "11", "ResiliencePresets:Clients:payments:Hedging:MaxHedgedAttempts is 11; it must be between 1 and 10.")]
    [InlineData("Enabled", "sometimes", "ResiliencePresets:Clients:payments:Hedging:Enabled is 'sometimes'; it must be true or false.")]
    public async Task OutOfRangeHedgingValue_IsNamedWithItsPathAndValue(string key, string value, string message)
    {
        var error = await StartFailure($$"""
            { "ResiliencePresets": { "Clients": { "payments": { "Hedging": { "{{key}}": "{{value}}" } } } } }
            """, ResiliencePresetNames.ReadOnlyApi);

        Assert.Contains(message, error.Failures);
    }

    private static async Task<OptionsValidationException> StartFailure(string json, string preset)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddConfiguration(PresetHost.Json(json));
        builder.Services.AddResiliencePresets(builder.Configuration.GetSection("ResiliencePresets"));
        builder.Services.AddHttpClient("payments").AddResiliencePreset(preset);
        using var host = builder.Build();
        return await Assert.ThrowsAnyAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
