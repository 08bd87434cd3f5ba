using System.Globalization;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// How many generated values a fuzz test runs, and from which seed: the quick count by default, the full count with
/// <c>RELIABILITY_FULL=1</c>; <c>RELIABILITY_SEED=&lt;n&gt;</c> changes the seed (docs/reliability.md).
/// </summary>
public static class FuzzRun
{
    public const int DefaultSeed = 20261123;

    public static bool Full => Environment.GetEnvironmentVariable("RELIABILITY_FULL") == "1";

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("RELIABILITY_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : DefaultSeed;

    public static int Count(int quick, int full) => Full ? full : quick;
}
