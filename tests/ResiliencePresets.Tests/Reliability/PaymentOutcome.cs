namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// What the caller knows after paying: the payment, the body it sent, the idempotency key that went with it (its own or
/// the one the preset stamped), and either the charge id it was given or why it failed.
/// </summary>
public sealed record PaymentOutcome(Payment Payment, string Body, string? Key, bool OwnKey, string? ChargeId, string? Failure)
{
    public bool Succeeded => ChargeId is not null;
}
