using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Telemetry;

namespace ResiliencePresets;

/// <summary>
/// Gives each named client its pipeline from Polly's registry, rebuilt when the client's preset changes.
/// </summary>
/// <remarks>
/// One layer speaks in the logs: this library writes one readable line per retry, declined retry and configuration
/// change (category <c>ResiliencePresets</c>, Information and above). Polly's own events about the same pipelines
/// (retries, breaker transitions, execution attempts) are written at Debug, so a retry is not logged twice; Polly's
/// metrics are unchanged.
/// </remarks>
internal sealed class PresetPipelineProvider : IDisposable
{
    private readonly ResiliencePipelineRegistry<PresetPipelineKey> _registry;
    private readonly CompiledPresetStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ClientRuntimeRegistry _clients;
    private readonly PresetMetrics _metrics;
    private readonly TelemetryOptions _telemetry;
    private readonly StaleResponseStores _staleResponses;
    private readonly IClientStateSharing? _sharing;
    private readonly Func<double> _random;

    public PresetPipelineProvider(
        ResiliencePipelineRegistry<PresetPipelineKey> registry,
        CompiledPresetStore store,
        ILoggerFactory loggerFactory,
        ClientRuntimeRegistry clients,
        PresetMetrics metrics,
        IOptions<TelemetryOptions> telemetry,
        StaleResponseStores staleResponses,
        TimeProvider? timeProvider = null,
        IClientStateSharing? sharing = null,
        JitterSource? jitter = null)
    {
        _sharing = sharing;
        _registry = registry;
        _store = store;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger("ResiliencePresets");
        _clients = clients;
        _metrics = metrics;
        _staleResponses = staleResponses;
        _random = (jitter ?? JitterSource.Shared).NextDouble;
        BodyDeadlines = new BodyDeadlines(_timeProvider);

        // The application's Polly telemetry (enrichers, listeners), with Polly's log lines lowered to Debug.
        _telemetry = new TelemetryOptions(telemetry.Value)
        {
            LoggerFactory = loggerFactory,
            SeverityProvider = _ => ResilienceEventSeverity.Debug,
        };
    }

    /// <summary>Gets the deadlines of the body reads of every client of this service provider.</summary>
    public BodyDeadlines BodyDeadlines { get; }

    /// <summary>Returns the handler that runs a client's preset, for one handler chain; builds the client's pipeline first.</summary>
    public PresetResilienceHandler HandlerFor(string clientName)
    {
        var pipeline = GetPipeline(clientName);
        var client = _clients.For(clientName);
        return new PresetResilienceHandler(pipeline, client, new ResponseBodyBound(client, BodyDeadlines));
    }

    public ResiliencePipeline<HttpResponseMessage> GetPipeline(string clientName)
        => _registry.GetOrAddPipeline<HttpResponseMessage>(new PresetPipelineKey(clientName), (builder, context) =>
        {
            var (preset, changed) = _store.Get(clientName);
            context.AddReloadToken(changed);
            builder.ConfigureTelemetry(_telemetry);
            var staleResponses = preset.StaleIfError > TimeSpan.Zero ? _staleResponses.For(clientName) : null;
            PresetPipelineBuilder.Build(builder, preset, new PipelineServices(_clients.For(clientName), _timeProvider, _logger, _metrics, _random, context.OnPipelineDisposed, StaleResponses: staleResponses, Sharing: _sharing));
        });

    public void Dispose() => BodyDeadlines.Dispose();
}
