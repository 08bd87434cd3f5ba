using ResiliencePresets.Simulation.Clients;
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

    [Fact]
    public void FirstBurst_RefusalsSentBeforeTheFirstRefusalCameBack_AreTheBurstAndTheOnesSentAfterAreNot()
    {
        WireAttempt[] attempts =
        [
            new(TimeSpan.FromMilliseconds(0), TimeSpan.FromMilliseconds(2), 200),
            new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), 429),
            new(TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(5), 503),
            new(TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(6), 429),
            new(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(7), null),
            new(TimeSpan.FromMilliseconds(6), TimeSpan.FromMilliseconds(8), 200),
        ];

        // Sent at 1 and 3 ms, before the first refusal came back at 4 ms; the refusal sent at 4 ms and the exception
        // at 5 ms came after it.
        Assert.Equal(2, FirstBurst.Count(attempts));
        Assert.Equal(0, FirstBurst.Count(attempts.Where(a => a.Succeeded)));
    }
}
