using Microsoft.Extensions.Logging;

namespace ResiliencePresets;

/// <summary>
/// What a pipeline needs besides its preset: the client's shared state, time, logging, metrics, randomness, and a way to
/// run cleanup when Polly disposes the pipeline (after a reload, once its executions have finished), and optionally the
/// inspector that reads each finished attempt (a test counts its readings), and the client's store of kept responses
/// (given only when <c>Fallback:StaleIfError</c> is set), and the sharing with other processes when Redis is registered.
/// </summary>
internal readonly record struct PipelineServices(ClientRuntime Client, TimeProvider TimeProvider, ILogger Logger, PresetMetrics Metrics, Func<double> Random, Action<Action>? OnPipelineDisposed = null, AttemptInspector? Inspector = null, StaleResponseStore? StaleResponses = null, IClientStateSharing? Sharing = null);
