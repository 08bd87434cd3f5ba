namespace ResiliencePresets;

/// <summary>
/// A client's validated preset, and its effective settings written as text (<see cref="ResiliencePresets.EffectiveSettings"/>),
/// used to tell whether a configuration reload changed anything the client runs with.
/// </summary>
internal sealed record ResolvedPreset(PresetPolicy Policy, string EffectiveSettings);
