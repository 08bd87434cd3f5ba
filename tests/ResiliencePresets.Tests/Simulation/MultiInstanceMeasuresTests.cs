using ResiliencePresets.Simulation.Instances;

namespace ResiliencePresets.Tests.Simulation;

/// <summary>The multi-instance scenario's arithmetic and the command line between the simulation and its instances.</summary>
public sealed class MultiInstanceMeasuresTests
{
    [Fact]
    public void RequestsOf_RequestsThatDoNotDivide_EveryRequestGoesToOneInstance()
    {
        var settings = new MultiInstanceSettings { Processes = 4, Requests = 2003 };

        Assert.Equal([501, 501, 501, 500], Enumerable.Range(0, 4).Select(settings.RequestsOf));
        Assert.Equal(TimeSpan.FromSeconds(20.03), settings.Floor);
    }

    [Fact]
    public void Between_AnOutage_CountsRefusalsAndSuccessesOfEachSpanOnce()
    {
        (TimeSpan, TimeSpan, int)[] attempts = [(S(1), S(0.9), 200), (S(4.9), S(4.8), 429), (S(5), S(4.9), 429), (S(6), S(5.9), 200), (S(8), S(7.9), 503), (S(9), S(8.9), 200), (S(9.5), S(9.4), 0)];
        var result = new MultiInstanceResult("server", "setup", new MultiInstanceSettings(), attempts, new Dictionary<string, int>(), [S(10)],
            (S(5), S(8)), 0, 0, 0, 0, new Dictionary<string, long>(), []);

        Assert.Equal((1, 1), result.Between(TimeSpan.Zero, S(5)));
        Assert.Equal((1, 1), result.Between(S(5), S(8)));
        Assert.Equal((2, 1), result.Between(S(8), TimeSpan.MaxValue));
        Assert.Equal(4, result.Wasted);
    }

    [Fact]
    public void WastedBeforeSignal_FourInstances_CountsTheRefusalsAnyOfThemSentBeforeTheFirstRefusalCameBackToAny()
    {
        // Answers in order of arrival, from four processes on one clock: the first refusal comes back at 12 ms; three
        // refusals were sent before it (one by another instance, answered later); the one sent at 13 ms is after it.
        (TimeSpan, TimeSpan, int)[] attempts =
        [
            (Ms(3), Ms(1), 200), (Ms(12), Ms(10), 429), (Ms(14), Ms(11), 429), (Ms(15), Ms(11.5), 429), (Ms(16), Ms(13), 429), (Ms(30), Ms(28), 200),
        ];
        var result = new MultiInstanceResult("server", "setup", new MultiInstanceSettings { Requests = 100 }, attempts, new Dictionary<string, int>(), [Ms(30)],
            null, 0, 0, 0, 0, new Dictionary<string, long>(), []);

        Assert.Equal(4, result.Wasted);
        Assert.Equal(3, result.WastedBeforeSignal);
        Assert.Equal(0.01, result.WastedAfterSignalShare, 6);
    }

    [Fact]
    public void Parse_TheArgumentsTheSimulationStartsAnInstanceWith_ReadsThemBack()
    {
        var shared = new InstanceArguments(new Uri("http://127.0.0.1:5000/l3/"), 25, 500, null, "127.0.0.1:6390", "simulation-1");
        var configured = new InstanceArguments(new Uri("http://127.0.0.1:5000/"), 25, 501, 25.5, null, null);
        var traced = shared with { Trace = true };

        Assert.Equal(shared, InstanceArguments.Parse(shared.ToArguments()));
        Assert.Equal(configured, InstanceArguments.Parse(configured.ToArguments()));
        Assert.Equal(traced, InstanceArguments.Parse(traced.ToArguments()));
        Assert.Equal(InstanceArguments.Mode, shared.ToArguments()[0]);
    }

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
