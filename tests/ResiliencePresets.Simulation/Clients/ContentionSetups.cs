using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>The client setups the contention scenario compares, in the order the table lists them.</summary>
public static class ContentionSetups
{
    public const string Immediate = "Immediate retry ×3 (hand-written)";
    public const string FixedSecond = "Fixed 1 s retry ×3 (hand-written)";
    public const string Exponential = "Exponential 1-2-4 s, no jitter (hand-written)";
    public const string Standard = "AddStandardResilienceHandler()";
    public const string ReadOnlyDefaults = "ReadOnlyApi, defaults";
    public const string ReadOnlyRate = "ReadOnlyApi, RateLimit:PermitsPerSecond = server rate";
    public const string ReadOnlyNoLearning = "ReadOnlyApi, RateLimit:Adaptive = false";

    public static ClientSetup ImmediateRetry { get; } = new(Immediate, b => b.AddHttpMessageHandler(() => new RetryLoopHandler(3, _ => TimeSpan.Zero)));

    public static ClientSetup FixedSecondRetry { get; } = new(FixedSecond, b => b.AddHttpMessageHandler(() => new RetryLoopHandler(3, _ => TimeSpan.FromSeconds(1))));

    public static ClientSetup ExponentialRetry { get; } = new(Exponential, b => b.AddHttpMessageHandler(() => new RetryLoopHandler(3, n => TimeSpan.FromSeconds(Math.Pow(2, n)))));

    public static ClientSetup StandardHandler { get; } = new(Standard, b => b.AddStandardResilienceHandler());

    public static ClientSetup ReadOnlyApi { get; } = new(ReadOnlyDefaults, b => b.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));

    /// <summary>Gets ReadOnlyApi as it was before it learned a rate: <c>RateLimit:Adaptive</c> off, everything else default.</summary>
    public static ClientSetup ReadOnlyApiWithoutLearning { get; } = new(
        ReadOnlyNoLearning,
        b => b.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi),
        new Dictionary<string, string?> { ["RateLimit:Adaptive"] = "false" });

    public static ClientSetup ReadOnlyApiWithRate(double permitsPerSecond) => new(
        ReadOnlyRate,
        b => b.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi),
        new Dictionary<string, string?> { ["RateLimit:PermitsPerSecond"] = permitsPerSecond.ToString(CultureInfo.InvariantCulture) });

    /// <summary>Every setup, against a server without quota headers: the hand-written loops, the standard handler, the
    /// preset without learning (its former behavior), with the server's exact rate (the ideal), and with its defaults.</summary>
    public static IReadOnlyList<ClientSetup> All(double serverRate) =>
        [ImmediateRetry, FixedSecondRetry, ExponentialRetry, StandardHandler, ReadOnlyApiWithoutLearning, ReadOnlyApiWithRate(serverRate), ReadOnlyApi];

    /// <summary>The setups that read quota headers, run again against a server that sends them.</summary>
    public static IReadOnlyList<ClientSetup> WithQuotaHeaders(double serverRate) => [ReadOnlyApi, ReadOnlyApiWithRate(serverRate)];
}
