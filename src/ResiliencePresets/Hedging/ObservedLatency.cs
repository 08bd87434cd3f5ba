namespace ResiliencePresets;

/// <summary>
/// The latency of a client's recent first attempts, and the hedge delay it gives: its chosen percentile once
/// <see cref="MinSamples"/> attempts have been seen, the fixed delay before that.
/// </summary>
/// <remarks>
/// Lifetime: one build of the client's pipeline. The last <see cref="Capacity"/> samples are kept; the percentile is
/// computed at the <see cref="MinSamples"/>-th sample and recomputed every <see cref="RecomputeEvery"/> samples after
/// it, so an attempt reads a number and never sorts. A first attempt cancelled because its hedge answered first is
/// recorded with the time it ran: the slow attempts are the ones hedging cancels, and leaving them out would lower the
/// percentile with every hedge that wins.
/// </remarks>
internal sealed class ObservedLatency
{
    public const int Capacity = 512;
    public const int MinSamples = 100;
    public const int RecomputeEvery = 32;

    private readonly object _lock = new();
    private readonly long[] _ticks = new long[Capacity];
    private readonly double _percentile;
    private long _count;
    private long _delayTicks;

    public ObservedLatency(double percentile, TimeSpan fixedDelay)
    {
        _percentile = percentile;
        _delayTicks = fixedDelay.Ticks;
    }

    /// <summary>Gets how long an attempt runs before it is hedged.</summary>
    public TimeSpan Delay => TimeSpan.FromTicks(Volatile.Read(ref _delayTicks));

    public void Record(TimeSpan latency)
    {
        if (_percentile <= 0)
        {
            return;
        }

        lock (_lock)
        {
            _ticks[_count % Capacity] = latency.Ticks;
            _count++;
            // First at the MinSamples-th sample, then every RecomputeEvery samples.
            if (_count == MinSamples || (_count > MinSamples && _count % RecomputeEvery == 0))
            {
                Volatile.Write(ref _delayTicks, Percentile());
            }
        }
    }

    // Nearest rank over the kept samples; never below a tick, as Polly reads a zero delay as "hedge at once".
    private long Percentile()
    {
        var n = (int)Math.Min(_count, Capacity);
        var sorted = _ticks[..n];
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(_percentile / 100 * n) - 1;
        return Math.Max(1, sorted[Math.Clamp(rank, 0, n - 1)]);
    }
}
