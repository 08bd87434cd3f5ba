namespace ResiliencePresets;

/// <summary>
/// A client's choice of preset and its code overrides, applied after configuration.
/// </summary>
internal sealed record PresetRegistration(string PresetName, Action<ResiliencePresetOptions>? Configure);
