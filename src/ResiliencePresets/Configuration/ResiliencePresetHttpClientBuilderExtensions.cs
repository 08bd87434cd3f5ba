using Microsoft.Extensions.Http;
using ResiliencePresets;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Gives an <see cref="HttpClient"/> a resilience preset.
/// </summary>
public static class ResiliencePresetHttpClientBuilderExtensions
{
    // HttpClient.Timeout when nobody set it.
    private static readonly TimeSpan DefaultHttpClientTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Sends the client's requests through the named preset: retries, timeouts and circuit breaker as the preset,
    /// the configuration (<c>ResiliencePresets:Presets</c> and <c>ResiliencePresets:Clients:&lt;client name&gt;</c>) and
    /// nothing else decide. Works without <c>AddResiliencePresets</c>, with the built-in defaults.
    /// </summary>
    /// <remarks>
    /// The preset's <c>TotalTimeout</c> is the request's timeout, response body included for buffered reads: unless the
    /// caller sets <see cref="HttpClient.Timeout"/> (to any value, 100 seconds included), it is turned off and the preset's
    /// handler ends a buffered body that stalls after the headers one second after <c>TotalTimeout</c>.
    /// </remarks>
    /// <param name="builder">The client's builder; from <c>ConfigureHttpClientDefaults</c> it sets the preset of every
    /// client that is not given its own.</param>
    /// <param name="presetName">A name from <see cref="ResiliencePresetNames"/> or a preset defined in configuration.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="presetName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="presetName"/> is empty, or names no preset that is built in or in
    /// the configuration registered so far.</exception>
    public static IHttpClientBuilder AddResiliencePreset(this IHttpClientBuilder builder, string presetName)
        => AddResiliencePresetCore(builder, presetName, configure: null);

    /// <summary>
    /// Sends the client's requests through the named preset, with <paramref name="configure"/> applied after the
    /// configuration.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="presetName">A name from <see cref="ResiliencePresetNames"/> or a preset defined in configuration.</param>
    /// <param name="configure">Changes to the preset's options for this client; runs after the configuration is applied,
    /// and again after each configuration reload.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="presetName"/> is empty, or names no preset that is built in or in
    /// the configuration registered so far.</exception>
    public static IHttpClientBuilder AddResiliencePreset(this IHttpClientBuilder builder, string presetName, Action<ResiliencePresetOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddResiliencePresetCore(builder, presetName, configure);
    }

    private static IHttpClientBuilder AddResiliencePresetCore(IHttpClientBuilder builder, string presetName, Action<ResiliencePresetOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(presetName);

        var registrations = ResiliencePresetsServices.AddCore(builder.Services);
        var resolver = new PresetResolver(registrations);
        if (registrations.Configuration is not null && !resolver.IsKnown(presetName))
        {
            throw new ArgumentException(resolver.UnknownPresetMessage(presetName), nameof(presetName));
        }

        // Without configuration yet, an unknown name may still be defined by a later AddResiliencePresets call;
        // it is then checked when the host starts and when the client is first created.
        registrations.Select(builder.Name, new PresetRegistration(presetName, configure));
        if (builder.Name is null)
        {
            builder.Services.ConfigureAll<HttpClientFactoryOptions>(AddPresetActions);
        }
        else
        {
            builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, AddPresetActions);
        }

        return builder;
    }

    // The client's HttpClient.Timeout is decided by HttpClientTimeoutRule, which runs after every action registered here.
    private static void AddPresetActions(HttpClientFactoryOptions options) => options.HttpMessageHandlerBuilderActions.Add(AddHandlerOnce);

    // Runs for every handler chain the factory builds. A client configured twice (by default and by name, or twice by
    // name) still gets one preset handler; which preset it runs is decided by the registrations.
    private static void AddHandlerOnce(HttpMessageHandlerBuilder handlers)
    {
        if (handlers.AdditionalHandlers.Any(h => h is PresetResilienceHandler))
        {
            return;
        }

        var pipelines = handlers.Services.GetRequiredService<PresetPipelineProvider>();
        var name = handlers.Name ?? string.Empty;
        handlers.AdditionalHandlers.Add(pipelines.HandlerFor(name));
    }
}
