using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// The client setups the demo compares: a hand-written retry loop, the standard resilience handler, every built-in
/// preset, and every preset defined in the configuration.
/// </summary>
public static class ClientSetupCatalog
{
    public const string Naive = "naive";
    public const string Standard = "standard";

    private static readonly string[] BuiltIn =
        [ResiliencePresetNames.ReadOnlyApi, ResiliencePresetNames.IdempotentWrite, ResiliencePresetNames.PaymentWithIdempotencyKey];

    /// <param name="presets">The <c>ResiliencePresets</c> configuration section.</param>
    /// <param name="jitter">Where the standard handler's Polly retry draws its jitter from; <see langword="null"/> leaves Polly's own.</param>
    public static IReadOnlyList<ClientSetup> Create(IConfiguration presets, JitterSource? jitter = null)
    {
        ArgumentNullException.ThrowIfNull(presets);
        var setups = new List<ClientSetup>
        {
            new(Naive, "hand-written loop: any failure, any method, retried at once, 3 times", b => b.AddHttpMessageHandler(() => new NaiveRetryHandler())),
            new(Standard, "AddStandardResilienceHandler() with its defaults", b => b.AddStandardResilienceHandler(o =>
            {
                if (jitter is not null)
                {
                    o.Retry.Randomizer = jitter.NextDouble;
                }
            })),
        };

        setups.AddRange(BuiltIn.Select(name => Preset(name, Describe(name))));
        setups.AddRange(presets.GetSection("Presets").GetChildren()
            .Where(section => !BuiltIn.Contains(section.Key, StringComparer.Ordinal))
            .Select(section => Preset(section.Key, $"configured in appsettings.json, based on {section["BasedOn"]}")));
        return setups;
    }

    private static ClientSetup Preset(string name, string description)
        => new(name, description, b => b.AddResiliencePreset(name));

    private static string Describe(string preset) => preset switch
    {
        ResiliencePresetNames.ReadOnlyApi => "preset: retries GET, HEAD, OPTIONS, TRACE only",
        ResiliencePresetNames.IdempotentWrite => "preset: adds PUT, DELETE; POST only with a key",
        _ => "preset: stamps an Idempotency-Key, retries every method",
    };
}
