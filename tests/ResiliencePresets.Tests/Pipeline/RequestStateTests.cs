using System.Net;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Pipeline;

public sealed class RequestStateTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public RequestStateTests(FlakyServer server) => _server = server;

    [Fact]
    public void Rent_AfterAUsedStateWasReturned_StartsClean()
    {
        var used = RequestState.Rent(startTimestamp: 42);
        var outcome = Polly.Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));
        used.RecordRetry(500);
        used.Plan(outcome, new RetryDecision(true, "500", 500, TimeSpan.FromSeconds(1), RetryDelaySource.Backoff, null, null));
        RequestState.Return(used);

        var state = RequestState.Rent(startTimestamp: 7);

        Assert.Equal(7, state.StartTimestamp);
        Assert.Equal(0, state.RetriesFor(500));
        Assert.False(state.PlannedFor(outcome).ShouldRetry);
        RequestState.Return(state);
        outcome.Result!.Dispose();
    }

    [Fact]
    public void PlannedFor_AnotherAttemptsOutcome_IsNeverTheDecisionOfAnEarlierOne()
    {
        var state = new RequestState(startTimestamp: 0);
        using var first = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        using var second = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        var retry = new RetryDecision(true, "503", 503, TimeSpan.FromSeconds(2), RetryDelaySource.Backoff, null, null);

        state.Plan(Polly.Outcome.FromResult(first), retry);

        Assert.Equal(retry, state.PlannedFor(Polly.Outcome.FromResult(first)));
        Assert.False(state.PlannedFor(Polly.Outcome.FromResult(second)).ShouldRetry);
    }

    [Fact]
    public void VerdictOf_TheSameOutcomeAskedThreeTimes_IsReadOnce()
    {
        var state = new RequestState(startTimestamp: 0);
        var inspector = new AttemptInspector(StatusCodeClassifier.Default, TimeProvider.System, countInspections: true);
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "1");
        var outcome = Polly.Outcome.FromResult(response);

        var verdicts = Enumerable.Range(0, 3).Select(_ => state.VerdictOf(outcome, inspector)).ToList();

        Assert.Equal(1, inspector.Inspections);
        Assert.All(verdicts, v => Assert.Equal(TimeSpan.FromSeconds(1), v.ServerWait!.Value.Delay));
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
