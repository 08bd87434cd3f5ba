namespace ResiliencePresets.Tests.Hedging;

public sealed class ObservedLatencyTests
{
    private static readonly TimeSpan Fixed = TimeSpan.FromSeconds(1);

    [Fact]
    public void Delay_BeforeEnoughAttempts_IsTheFixedDelay()
    {
        var latency = new ObservedLatency(95, Fixed);
        for (var i = 0; i < ObservedLatency.MinSamples - 1; i++)
        {
            latency.Record(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(Fixed, latency.Delay);
    }

    [Fact]
    public void Delay_AfterEnoughAttempts_IsTheChosenPercentile()
    {
        var latency = new ObservedLatency(95, Fixed);

        // 1..128 ms: the 95th percentile by nearest rank is the 122nd value.
        for (var i = 1; i <= 128; i++)
        {
            latency.Record(TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(122), latency.Delay);
    }

    [Fact]
    public void Delay_AtTheHundredthAttempt_IsTheChosenPercentile()
    {
        var latency = new ObservedLatency(95, Fixed);

        // 1..100 ms: the 95th percentile by nearest rank is the 95th value, from the 100th attempt on, not from the 128th.
        for (var i = 1; i <= ObservedLatency.MinSamples; i++)
        {
            latency.Record(TimeSpan.FromMilliseconds(i));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(95), latency.Delay);
    }

    [Fact]
    public void Delay_FollowsTheLastAttemptsOnly()
    {
        var latency = new ObservedLatency(50, Fixed);
        for (var i = 0; i < ObservedLatency.Capacity; i++)
        {
            latency.Record(TimeSpan.FromSeconds(5));
        }

        for (var i = 0; i < ObservedLatency.Capacity; i++)
        {
            latency.Record(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(20), latency.Delay);
    }

    [Fact]
    public void Delay_WithPercentileOff_StaysFixed()
    {
        var latency = new ObservedLatency(0, Fixed);
        for (var i = 0; i < 1000; i++)
        {
            latency.Record(TimeSpan.FromMilliseconds(3));
        }

        Assert.Equal(Fixed, latency.Delay);
    }

    [Fact]
    public void Delay_OfInstantAttempts_IsNeverZero()
    {
        var latency = new ObservedLatency(95, Fixed);
        for (var i = 0; i < 128; i++)
        {
            latency.Record(TimeSpan.Zero);
        }

        Assert.True(latency.Delay > TimeSpan.Zero);
    }
}
