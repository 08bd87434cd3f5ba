using System.Globalization;

namespace ResiliencePresets.Simulation.Report;

/// <summary>
/// The machine's load averages over 1, 5 and 15 minutes (<c>/proc/loadavg</c>), read when a run starts and ends: other
/// work on the machine moves timing figures, and this says how much there was.
/// </summary>
public sealed record LoadAverage(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    /// <summary>Returns the load now; <see langword="null"/> where the system does not tell it.</summary>
    public static LoadAverage? Current()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return new LoadAverage(Parse(parts[0]), Parse(parts[1]), Parse(parts[2]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OneMinute:0.00} {FiveMinutes:0.00} {FifteenMinutes:0.00}");

    private static double Parse(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
