using ResiliencePresets.Simulation.Scenarios;

namespace ResiliencePresets.Tests.Simulation;

/// <summary>The limiter scenarios' arithmetic: the floor under a changing limit, and the time to reach a new rate.</summary>
public sealed class LimiterMeasuresTests
{
    [Fact]
    public void Floor_LimitDoublesBeforeTheRequestsRunOut_FirstPhaseAtTheOldRateThenTheNew()
    {
        var settings = new LimiterSettings(Workers: 20, Requests: 500);

        Assert.Equal(TimeSpan.FromSeconds(25), settings.Floor(20, change: null));
        Assert.Equal(TimeSpan.FromSeconds(15), settings.Floor(20, new RateChange(TimeSpan.FromSeconds(5), 40)));
        Assert.Equal(TimeSpan.FromSeconds(25), settings.Floor(20, new RateChange(TimeSpan.FromSeconds(30), 40)));
    }

    [Fact]
    public void TimeToReach_RateRampsUp_EndOfFirstSecondAtNinetyPercent()
    {
        // 10 a second for 2 s after the change at 5 s, then 40 a second: 36 successes first fit the second from 6.9 s.
        var successes = Enumerable.Range(0, 20).Select(i => TimeSpan.FromSeconds(5 + (i * 0.1)))
            .Concat(Enumerable.Range(0, 80).Select(i => TimeSpan.FromSeconds(7 + (i * 0.025))))
            .ToList();

        var reached = RateRecovery.TimeToReach(successes, TimeSpan.FromSeconds(5), newRate: 40);

        Assert.NotNull(reached);
        Assert.InRange(reached!.Value.TotalSeconds, 2.89, 2.91);
    }

    [Fact]
    public void TimeToReach_NeverNinetyPercent_Null()
    {
        var successes = Enumerable.Range(0, 100).Select(i => TimeSpan.FromSeconds(5 + (i * 0.03))).ToList();

        Assert.Null(RateRecovery.TimeToReach(successes, TimeSpan.FromSeconds(5), newRate: 40));
        Assert.NotNull(RateRecovery.TimeToReach(successes, TimeSpan.FromSeconds(5), newRate: 30));
    }
}
