using Microsoft.Extensions.Logging;

namespace ResiliencePresets;

/// <summary>
/// What a pipeline needs besides its preset: the client's shared state, time, logging, metrics, randomness, and a way to
/// run cleanup when Polly disposes the pipeline (after a reload, once its executions have finished), and optionally the
/// inspector that reads each finished attempt (a test counts its readings).
/// </summary>
internal readonly record struct PipelineServices(ClientRuntime Client, TimeProvider TimeProvider, ILogger Logger, PresetMetrics Metrics, Func<double> Random, Action<Action>? OnPipelineDisposed = null, AttemptInspector? Inspector = null);
