using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// One logical payment, as the caller sends it. <see cref="PaymentId"/> is the caller's own reference, independent of
/// any idempotency key, so that a payment charged under two keys is still recognised as the same payment.
/// </summary>
public sealed record Payment(string PaymentId, long Amount)
{
    public string ToJson() => JsonSerializer.Serialize(this, JsonSerializerOptions.Web);

    public static bool TryParse(string json, [NotNullWhen(true)] out Payment? payment)
    {
        try
        {
            payment = JsonSerializer.Deserialize<Payment>(json, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            payment = null;
        }

        return payment is { PaymentId: not null, Amount: > 0 };
    }
}
