using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// The message handler that runs a client's preset pipeline. Its own type marks a handler chain that already has one.
/// </summary>
internal sealed class PresetResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : ResilienceHandler(pipeline);
