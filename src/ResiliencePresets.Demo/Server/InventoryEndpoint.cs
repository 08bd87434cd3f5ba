using System.Globalization;
using WireMock;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// A flaky internal service: fails a seeded number of attempts of each request with 503 and <c>Retry-After</c> as an
/// HTTP date, and fails again any retry that comes before that date.
/// </summary>
internal sealed class InventoryEndpoint(FaultPlan plan, ServerTiming timing) : IApiEndpoint
{
    public string Method => "GET";

    public string Path => "/v1/inventory";

    public ResponseMessage Respond(EndpointCall call)
    {
        var draw = plan.Draw(call.RequestId, 0, FaultPurpose.InventoryFailures);
        var failures = draw < 0.5 ? 0 : draw < 0.8 ? 1 : 2;
        if (call.Arrival.Attempt > failures && !call.Arrival.Early)
        {
            return Responses.Json(200, """{"sku":"W-100","in_stock":42}""");
        }

        // An HTTP date counts whole seconds: round up, so the date is never before the wait meant.
        var earliest = call.Now + timing.InventoryRetryAfter;
        var date = new DateTimeOffset(earliest.UtcTicks - (earliest.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(1);
        call.Ledger.AskToWait(call.RequestId, date, rateLimited: false);
        return Responses.Json(
            503,
            """{"error":"inventory is being reindexed"}""",
            ("Retry-After", date.ToString("r", CultureInfo.InvariantCulture)));
    }
}
