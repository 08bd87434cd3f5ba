using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// The setups the amplification scenario puts at every tier. Backoff is scaled down 50× in all of them (ReadOnlyApi
/// 1 s → 20 ms base, 30 s → 600 ms cap; the standard handler 2 s → 40 ms), so a failure period of seconds holds many
/// retry cycles; budget windows, breaker thresholds and durations, and timeouts keep their defaults.
/// </summary>
public static class AmplificationSetups
{
    public const string Defaults = "ReadOnlyApi, defaults (budget on, breaker on)";
    public const string NoBudget = "ReadOnlyApi, RetryBudget:Enabled = false";
    public const string NoBreaker = "ReadOnlyApi, budget on, CircuitBreaker:Enabled = false";
    public const string Neither = "ReadOnlyApi, budget off, breaker off";
    public const string Standard = "AddStandardResilienceHandler()";
    public const string NoBreakerPushback = "ReadOnlyApi, budget on, breaker off, pushback on";
    public const string DefaultsPushback = "ReadOnlyApi, defaults, pushback on";

    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(600);
    private static readonly TimeSpan StandardDelay = TimeSpan.FromMilliseconds(40);

    public static IReadOnlyList<ClientSetup> All { get; } =
    [
        ReadOnlyApi(Defaults),
        ReadOnlyApi(NoBudget, ("RetryBudget:Enabled", "false")),
        ReadOnlyApi(NoBreaker, ("CircuitBreaker:Enabled", "false")),
        ReadOnlyApi(Neither, ("RetryBudget:Enabled", "false"), ("CircuitBreaker:Enabled", "false")),
        new(Standard, b => b.AddStandardResilienceHandler(o => o.Retry.Delay = StandardDelay)),
        ReadOnlyApi(NoBreakerPushback, ("CircuitBreaker:Enabled", "false")) with { Pushback = true },
        ReadOnlyApi(DefaultsPushback) with { Pushback = true },
    ];

    private static ClientSetup ReadOnlyApi(string name, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["Retry:BaseDelay"] = BaseDelay.ToString("c", CultureInfo.InvariantCulture),
            ["Retry:MaxDelay"] = MaxDelay.ToString("c", CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new ClientSetup(name, b => b.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi), all);
    }
}
