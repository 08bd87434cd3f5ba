#pragma warning disable EXTEXP0001 // ResilienceHandler is marked experimental; it is the pipeline handler the standard handler uses.
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// The message handler that runs a client's preset pipeline. Its own type marks a handler chain that already has one.
/// </summary>
internal sealed class PresetResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : ResilienceHandler(pipeline);
