using WireMock;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// A GitHub-style repository read: a per-key quota that resets at whole epoch seconds; over it, 403 or 429 with
/// <c>X-RateLimit-Remaining: 0</c> and the reset as an epoch second in <c>X-RateLimit-Reset</c>, as GitHub sends them.
/// </summary>
internal sealed class RepositoryEndpoint(FaultPlan plan) : IApiEndpoint
{
    public string Method => "GET";

    public string Path => "/repos/acme/widgets";

    public ResponseMessage Respond(EndpointCall call)
    {
        DateTimeOffset? reset;
        int remaining;
        lock (call.Ledger.Gate)
        {
            reset = call.Ledger.Repository.TryAcquire(call.Now, out remaining);
        }

        var limit = Responses.Number(call.Ledger.Repository.Limit);
        if (reset is not DateTimeOffset resetAt)
        {
            return Responses.Json(
                200,
                """{"id":1296269,"full_name":"acme/widgets","private":false,"default_branch":"main"}""",
                ("X-RateLimit-Limit", limit),
                ("X-RateLimit-Remaining", Responses.Number(remaining)),
                ("X-RateLimit-Reset", Responses.Number(call.Ledger.Repository.WindowEnd(call.Now).ToUnixTimeSeconds())),
                ("X-RateLimit-Resource", "core"));
        }

        call.Ledger.AskToWait(call.RequestId, resetAt, rateLimited: true);
        var status = plan.Draw(call.RequestId, call.Arrival.Attempt, FaultPurpose.RepositoryStatus) < 0.5 ? 403 : 429;
        return Responses.Json(
            status,
            """{"message":"API rate limit exceeded for this token.","documentation_url":"https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting"}""",
            ("X-RateLimit-Limit", limit),
            ("X-RateLimit-Remaining", "0"),
            ("X-RateLimit-Used", limit),
            ("X-RateLimit-Reset", Responses.Number(resetAt.ToUnixTimeSeconds())),
            ("X-RateLimit-Resource", "core"));
    }
}
