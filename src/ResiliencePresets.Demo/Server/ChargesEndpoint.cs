using WireMock;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// A Stripe-style payment: some attempts fail before charging (503), some charge and then fail the response (500 or
/// 503), as a provider whose gateway times out after the charge went through. A retry that carries the idempotency key
/// of a charge already made gets that charge back and is not charged again; a retry without a key is a new charge.
/// </summary>
internal sealed class ChargesEndpoint(FaultPlan plan) : IApiEndpoint
{
    public string Method => "POST";

    public string Path => "/v1/charges";

    public ResponseMessage Respond(EndpointCall call)
    {
        var key = call.Header(DemoHeaders.IdempotencyKey);
        if (call.Ledger.ChargeFor(key) is string existing)
        {
            return Responses.Json(200, Body(existing), ("Idempotent-Replayed", "true"));
        }

        // A first attempt fails more often than a retry: 10% before charging, 35% after.
        var draw = plan.Draw(call.RequestId, call.Arrival.Attempt, FaultPurpose.ChargeOutcome);
        var (failBefore, failAfter500, failAfter503) = call.Arrival.Attempt == 1 ? (0.10, 0.35, 0.45) : (0.10, 0.20, 0.25);
        if (draw < failBefore)
        {
            return Responses.Json(503, """{"error":{"type":"api_error","message":"The payment service is temporarily unavailable."}}""");
        }

        var charge = call.Ledger.Charge(call.RequestId, key);
        return draw < failAfter500 ? Responses.Json(500, """{"error":{"type":"api_error","message":"An unexpected error occurred."}}""")
            : draw < failAfter503 ? Responses.Json(503, """{"error":{"type":"api_error","message":"Upstream gateway timed out."}}""")
            : Responses.Json(200, Body(charge));
    }

    private static string Body(string charge) => $$"""{"id":"{{charge}}","object":"charge","amount":1299,"currency":"eur","status":"succeeded"}""";
}
