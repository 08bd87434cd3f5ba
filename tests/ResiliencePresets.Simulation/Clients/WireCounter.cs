namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// The innermost handler of a client under test: below every retry, breaker and pacing, it sees each attempt exactly
/// as the server does, whichever server it is (nginx counts nothing the simulation can read cheaply).
/// </summary>
public sealed class WireCounter(WireLog log) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var sent = log.Now;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            log.Record(sent, (int)response.StatusCode);
            return response;
        }
        catch
        {
            log.Record(sent, null);
            throw;
        }
    }
}
