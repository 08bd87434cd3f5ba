using System.Collections.Concurrent;
using System.Globalization;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// The embedded API the demo's clients call: WireMock.Net on loopback, with endpoints that fail the way real APIs do.
/// Each client setup sends its own API key, and the server keeps a <see cref="ServerLedger"/> per key.
/// </summary>
public sealed class FlakyApi : IDisposable
{
    public const string ChatPath = "/v1/chat/completions";
    public const string RepositoryPath = "/repos/acme/widgets";
    public const string MissingRepositoryPath = "/repos/acme/gadgets";
    public const string InventoryPath = "/v1/inventory";
    public const string ChargesPath = "/v1/charges";
    public const string SearchPath = "/v1/search";

    private readonly WireMockServer _server;
    private readonly ServerTiming _timing;
    private readonly ConcurrentDictionary<string, ServerLedger> _ledgers = new(StringComparer.Ordinal);

    public FlakyApi(ServerTiming timing, int seed)
    {
        ArgumentNullException.ThrowIfNull(timing);
        _timing = timing;
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"], StartAdminInterface = false });

        var plan = new FaultPlan(seed);
        IApiEndpoint[] endpoints =
        [
            new ChatCompletionsEndpoint(),
            new RepositoryEndpoint(plan),
            new MissingRepositoryEndpoint(),
            new InventoryEndpoint(plan, timing),
            new ChargesEndpoint(plan),
            new SearchEndpoint(),
        ];
        foreach (var endpoint in endpoints)
        {
            _server.Given(Request.Create().WithPath(endpoint.Path).UsingMethod(endpoint.Method))
                .RespondWith(Response.Create().WithCallback(request => Handle(endpoint, request)));
        }
    }

    public Uri BaseAddress => new(_server.Url!);

    /// <summary>Returns what the server saw from one API key.</summary>
    public ServerLedger LedgerFor(string apiKey) => _ledgers.GetOrAdd(apiKey, _ => new ServerLedger(_timing));

    public void Dispose() => _server.Dispose();

    private ResponseMessage Handle(IApiEndpoint endpoint, IRequestMessage request)
    {
        var now = DateTimeOffset.UtcNow;
        var probe = new EndpointCall(request, null!, 0, default, now);
        var apiKey = probe.Header("Authorization") is string auth && auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..] : null;
        if (apiKey is null || !int.TryParse(probe.Header(DemoHeaders.RequestId), NumberStyles.None, CultureInfo.InvariantCulture, out var requestId))
        {
            return Responses.Json(401, """{"message":"Send an API key (Authorization: Bearer) and X-Demo-Request-Id."}""");
        }

        var ledger = LedgerFor(apiKey);
        var arrival = ledger.Arrive(requestId, now);
        return endpoint.Respond(probe with { Ledger = ledger, RequestId = requestId, Arrival = arrival });
    }
}
