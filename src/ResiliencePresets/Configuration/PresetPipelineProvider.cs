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
    private readonly ClientStates _clients;
    private readonly PresetMetrics _metrics;

    public PresetPipelineProvider(
        ResiliencePipelineRegistry<PresetPipelineKey> registry,
        PresetPolicyStore store,
        ILoggerFactory loggerFactory,
        ClientStates clients,
        PresetMetrics metrics,
        TimeProvider? timeProvider = null)
    {
        _registry = registry;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger("ResiliencePresets");
        _clients = clients;
        _metrics = metrics;
    }

    public ResiliencePipeline<HttpResponseMessage> GetPipeline(string clientName)
        => _registry.GetOrAddPipeline<HttpResponseMessage>(new PresetPipelineKey(clientName), (builder, context) =>
        {
            var (policy, changed) = _store.Get(clientName);
            context.AddReloadToken(changed);
            PresetPipelineBuilder.Build(builder, policy, new PresetRuntime(_clients.For(clientName), _timeProvider, _logger, _metrics, Random.Shared.NextDouble, context.OnPipelineDisposed));
        });
}
