using Microsoft.Extensions.Logging;
using Polly;
using Polly.Registry;

namespace ResiliencePresets;

/// <summary>
/// Gives each named client its pipeline from Polly's registry, rebuilt when the client's preset changes.
/// </summary>
internal sealed class PresetPipelineProvider
{
    private readonly ResiliencePipelineRegistry<PresetPipelineKey> _registry;
    private readonly PresetPolicyStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public PresetPipelineProvider(ResiliencePipelineRegistry<PresetPipelineKey> registry, PresetPolicyStore store, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        _registry = registry;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger("ResiliencePresets");
    }

    public ResiliencePipeline<HttpResponseMessage> GetPipeline(string clientName)
        => _registry.GetOrAddPipeline<HttpResponseMessage>(new PresetPipelineKey(clientName), (builder, context) =>
        {
            var (policy, changed) = _store.Get(clientName);
            context.AddReloadToken(changed);
            PresetPipelineBuilder.Build(builder, policy, _timeProvider, _logger, Random.Shared.NextDouble);
        });
}
