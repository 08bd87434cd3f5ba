namespace ResiliencePresets;

/// <summary>
/// Identifies a preset pipeline in Polly's registry: one per named HttpClient, so each client has its own breaker.
/// </summary>
internal readonly record struct PresetPipelineKey(string ClientName);
