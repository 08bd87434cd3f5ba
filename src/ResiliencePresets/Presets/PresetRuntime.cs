using Microsoft.Extensions.Logging;

namespace ResiliencePresets;

/// <summary>
/// What a pipeline needs besides its preset: the client's shared state, time, logging, metrics and randomness.
/// </summary>
internal readonly record struct PresetRuntime(ClientState Client, TimeProvider TimeProvider, ILogger Logger, PresetMetrics Metrics, Func<double> Random);
