using System.Text.Json;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// A charge the payment API recorded: money moved once. <see cref="IdempotencyKey"/> is <see langword="null"/> for a
/// request that carried none.
/// </summary>
public sealed record Charge(string ChargeId, string PaymentId, long Amount, string? IdempotencyKey)
{
    /// <summary>The body the API answers with; the key stays out of it, as payment providers do.</summary>
    public string ToJson() => JsonSerializer.Serialize(new { ChargeId, PaymentId, Amount }, JsonSerializerOptions.Web);

    public static string ReadChargeId(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("chargeId").GetString()!;
    }
}
