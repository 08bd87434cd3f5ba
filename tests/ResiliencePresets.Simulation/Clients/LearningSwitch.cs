using System.Reflection;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// The configuration that turns the learned sending rate off: <c>RateLimit:Adaptive = false</c>. A library built
/// before that key existed rejects it at start-up, so it is set only when <see cref="ResiliencePresetRateLimitOptions"/>
/// has the property; without it, the preset has no learning to turn off and the row is its former behavior anyway.
/// </summary>
public static class LearningSwitch
{
    public const string Key = "RateLimit:Adaptive";

    /// <summary>Gets whether the library under test knows <c>RateLimit:Adaptive</c>.</summary>
    public static bool Known { get; } = typeof(ResiliencePresetRateLimitOptions).GetProperty("Adaptive", BindingFlags.Public | BindingFlags.Instance) is not null;

    /// <summary>Gets the settings that turn learning off, or none when the library has no learning.</summary>
    public static IReadOnlyDictionary<string, string?> Off { get; } = Known
        ? new Dictionary<string, string?> { [Key] = "false" }
        : new Dictionary<string, string?>();
}
