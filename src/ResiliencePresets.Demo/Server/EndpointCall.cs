using WireMock;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// One attempt handed to an endpoint: who sent it, which logical request it belongs to, and when it arrived.
/// </summary>
internal sealed record EndpointCall(IRequestMessage Request, ServerLedger Ledger, int RequestId, Arrival Arrival, DateTimeOffset Now)
{
    public string? Header(string name)
    {
        foreach (var (key, values) in Request.Headers ?? new Dictionary<string, WireMock.Types.WireMockList<string>>())
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && values.Count > 0)
            {
                return values[0];
            }
        }

        return null;
    }
}
