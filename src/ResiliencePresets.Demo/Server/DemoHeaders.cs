namespace ResiliencePresets.Demo.Server;

/// <summary>
/// The headers the demo's client and server agree on besides the ones real APIs use.
/// </summary>
public static class DemoHeaders
{
    /// <summary>Names one logical request; every attempt of it carries the same value, so the server can tell a retry from a new request.</summary>
    public const string RequestId = "X-Demo-Request-Id";

    /// <summary>The header of the IETF Idempotency-Key draft, as Stripe reads it.</summary>
    public const string IdempotencyKey = "Idempotency-Key";
}
