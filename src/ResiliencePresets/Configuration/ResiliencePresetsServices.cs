using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// Registers the services every preset needs, once per service collection.
/// </summary>
internal static class ResiliencePresetsServices
{
    public static PresetRegistrations AddCore(IServiceCollection services)
    {
        var registrations = PresetRegistrations.GetOrAdd(services);
        if (services.Any(d => d.ServiceType == typeof(PresetResolver)))
        {
            return registrations;
        }

        services.AddLogging();

        // The meter comes from the container's IMeterFactory, as the docs promise, even where nothing else registered one.
        services.AddMetrics();
        services.TryAddSingleton(provider => new PresetResolver(provider.GetRequiredService<PresetRegistrations>()));
        services.TryAddSingleton<CompiledPresetStore>();
        services.TryAddSingleton<PresetPipelineProvider>();
        services.TryAddSingleton<ClientRuntimeRegistry>();
        services.TryAddSingleton<PresetMetrics>();

        // Stale-if-error keeps responses in the application's HybridCache (its own registration wins, if it made one); the
        // cache is created only when a client with Fallback:StaleIfError first uses it.
        services.AddHybridCache();
        services.TryAddSingleton<StaleResponseStores>();
        services.AddResiliencePipelineRegistry<PresetPipelineKey>(options =>
        {
            options.BuilderNameFormatter = key => $"ResiliencePresets:{key.ClientName}";
            options.InstanceNameFormatter = key => key.ClientName;
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PresetStartupValidation.Marker>, PresetStartupValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<HttpClientFactoryOptions>, HttpClientTimeoutRule>());
        services.AddOptions<PresetStartupValidation.Marker>().ValidateOnStart();
        return registrations;
    }
}
