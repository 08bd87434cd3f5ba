using System.Globalization;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// How numbers are written in the table and the plain report.
/// </summary>
internal static class Format
{
    public static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Rate(double perSecond) => string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.0}/s");

    public static string Latency(TimeSpan value) => value.TotalMilliseconds < 1000
        ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.0} s");

    public static string FailedWith(Results.SetupResult result) => result.FailedWith.Count == 0
        ? "no failures"
        : "failed: " + string.Join(", ", result.FailedWith.Select(f => $"{f.Key} ×{Count(f.Value)}"));

    public static string WaitsHonored(Results.SetupResult result)
        => $"{Count(result.RetriedOnTime)}/{Count(result.RetriedOnTime + result.RetriedEarly)}";
}
