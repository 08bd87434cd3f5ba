namespace ResiliencePresets;

/// <summary>
/// A client's validated preset, and a fingerprint of the configuration it was built from, used to tell whether a
/// configuration reload changed it.
/// </summary>
internal sealed record ResolvedPreset(PresetPolicy Policy, string Fingerprint);
