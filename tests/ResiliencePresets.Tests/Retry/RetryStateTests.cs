using System.Net;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Retry;

public sealed class RetryStateTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public RetryStateTests(FlakyServer server) => _server = server;

    [Fact]
    public void Rent_AfterAUsedStateWasReturned_StartsClean()
    {
        var used = RetryState.Rent(startTimestamp: 42);
        used.RecordRetry(500);
        used.Planned = new RetryDecision(true, "500", 500, TimeSpan.FromSeconds(1), RetryDelaySource.Backoff, null, null);
        RetryState.Return(used);

        var state = RetryState.Rent(startTimestamp: 7);

        Assert.Equal(7, state.StartTimestamp);
        Assert.Equal(0, state.RetriesFor(500));
        Assert.Equal(default, state.Planned);
        RetryState.Return(state);
    }

    [Fact]
    public async Task PerStatusLimit_UsedUpByOneRequest_StartsAfreshForTheNextRequestOfTheSameClient()
    {
        // 500 is retried at most once per request: the first request uses that retry up, the second gets its own.
        var path = _server.Respond("/per-request-limit", Status(500), Status(500), Status(500), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var first = await api.Client.GetAsync(path);
        using var second = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(4, _server.Calls(path));
    }
}
