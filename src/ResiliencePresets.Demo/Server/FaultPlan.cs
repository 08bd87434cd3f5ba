namespace ResiliencePresets.Demo.Server;

/// <summary>
/// The seeded dice of the embedded API: a pure function of (seed, request, attempt, purpose), so every client setup
/// meets the same faults on the same logical request, whatever order its attempts arrive in.
/// </summary>
internal sealed class FaultPlan(int seed)
{
    /// <summary>Returns a number in [0, 1).</summary>
    public double Draw(int requestId, int attempt, FaultPurpose purpose)
    {
        var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL
            ^ ((ulong)(uint)requestId << 20)
            ^ ((ulong)(uint)attempt << 8)
            ^ (ulong)purpose);
        return (SplitMix64(x) >> 11) * (1.0 / (1UL << 53));
    }

    private static ulong SplitMix64(ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }
}
