namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// What the payment API answers to one request: a status code and a JSON body. <see cref="Replayed"/> marks a stored
/// reply sent again for a repeated key (Stripe's <c>Idempotent-Replayed</c> header).
/// </summary>
public sealed record ChargeReply(int StatusCode, string Body, bool Replayed = false)
{
    public static ChargeReply Error(int statusCode, string message)
        => new(statusCode, System.Text.Json.JsonSerializer.Serialize(new { error = message }));
}
