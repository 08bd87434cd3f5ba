using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>The setups the hedging scenario compares, each a named client from <see cref="IHttpClientFactory"/>.</summary>
public static class HedgingSetups
{
    public const string None = "ReadOnlyApi, no hedging";
    public const string Observed = "ReadOnlyApi, Hedging:Enabled (after the observed p95)";
    public const string Fixed = "ReadOnlyApi, Hedging:Enabled, Percentile 0, Delay 15 ms";
    public const string Standard = "AddStandardHedgingHandler()";
    public const string StandardFast = "AddStandardHedgingHandler(), Hedging.Delay = 15 ms";

    private static readonly TimeSpan FixedDelay = TimeSpan.FromMilliseconds(15);

    public static IReadOnlyList<ClientSetup> All { get; } =
    [
        ReadOnlyApi(None),
        ReadOnlyApi(Observed, ("Hedging:Enabled", "true")),
        ReadOnlyApi(Fixed, ("Hedging:Enabled", "true"), ("Hedging:Percentile", "0"), ("Hedging:Delay", FixedDelay.ToString("c", CultureInfo.InvariantCulture))),
        new(Standard, b => b.AddStandardHedgingHandler()),
        new(StandardFast, b => b.AddStandardHedgingHandler().Configure(o => o.Hedging.Delay = FixedDelay)),
    ];

    private static ClientSetup ReadOnlyApi(string name, params (string Key, string Value)[] settings)
        => new(name, b => b.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi), settings.ToDictionary(s => s.Key, s => (string?)s.Value));
}
