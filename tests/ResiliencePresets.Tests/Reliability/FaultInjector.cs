namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Decides, per request, from a seeded <see cref="Random"/>, whether the payment API fails it and how: a share
/// <see cref="Rate"/> of requests gets one of the faults, each fault equally likely.
/// </summary>
/// <remarks>
/// The sequence of decisions is fixed by the seed; which request gets which decision depends on the order in which
/// concurrent requests arrive, so a run is reproducible in its mix of faults, not request by request.
/// </remarks>
public sealed class FaultInjector
{
    private static readonly Fault[] Faults =
        [Fault.ProcessThen500, Fault.ProcessThenDrop, Fault.ProcessThenStall, Fault.Unavailable, Fault.RefuseBeforeProcessing];

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly int[] _counts = new int[Faults.Length + 1];
    private double _rate;

    public FaultInjector(int seed, double rate)
    {
        _random = new Random(seed);
        Rate = rate;
    }

    /// <summary>Gets or sets the share of requests that are faulted, between 0 and 1.</summary>
    public double Rate
    {
        get => Volatile.Read(ref _rate);
        set => Volatile.Write(ref _rate, value);
    }

    /// <summary>
    /// Decides the next request's fault and, for <see cref="Fault.Unavailable"/>, its Retry-After in seconds. With
    /// <see cref="Rate"/> 0 the injector is off: nothing is drawn or counted.
    /// </summary>
    public (Fault Fault, int RetryAfterSeconds) Next()
    {
        lock (_gate)
        {
            if (Rate <= 0)
            {
                return (Fault.None, 0);
            }

            var fault = _random.NextDouble() < Rate ? Faults[_random.Next(Faults.Length)] : Fault.None;
            _counts[(int)fault]++;
            return (fault, fault == Fault.Unavailable ? _random.Next(2) : 0);
        }
    }

    /// <summary>Gets how many requests got each fault so far.</summary>
    public IReadOnlyDictionary<Fault, int> Counts()
    {
        lock (_gate)
        {
            return Enum.GetValues<Fault>().ToDictionary(f => f, f => _counts[(int)f]);
        }
    }
}
