using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Tests.Simulation;

/// <summary>
/// The load simulation's contention scenario in its quick form (300 requests, 50 workers, a server metering 100
/// requests a second): about six seconds.
/// </summary>
public sealed class ContentionScenarioTests
{
    private static readonly ContentionSettings Quick = new() { Requests = 300 };

    [Fact]
    public async Task ReadOnlyApiWithTheServersRate_FiftyWorkers_WastesAtMostTwoPercentAndFailsNothing()
    {
        using var counters = new PresetCounters();

        // The same server must refuse a client that does not know its rate, or the paced run proves nothing.
        var unpaced = await ContentionScenario.RunAsync(ContentionSetups.ReadOnlyApi, quotaHeaders: false, Quick, counters);
        var paced = await ContentionScenario.RunAsync(ContentionSetups.ReadOnlyApiWithRate(Quick.ServerRate), quotaHeaders: false, Quick, counters);

        Assert.True(unpaced.Wasted > 0, "the server answered no 429 to an unpaced client");
        Assert.True(paced.WastedShare <= 0.02, $"{paced.Wasted} of {paced.Requests} calls were answered 429");
        Assert.Equal(0, paced.Failures);
        Assert.True(paced.Library.Throttled > 0, "no request waited for the client's rate limit");
    }
}
