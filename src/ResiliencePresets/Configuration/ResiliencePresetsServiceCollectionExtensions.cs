using Microsoft.Extensions.Configuration;
using ResiliencePresets;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the configuration of the resilience presets.
/// </summary>
public static class ResiliencePresetsServiceCollectionExtensions
{
    /// <summary>
    /// Reads the presets' configuration from <paramref name="section"/> (usually <c>ResiliencePresets</c>): changes to
    /// built-in presets and new presets under <c>Presets:&lt;name&gt;</c>, per-client overrides under
    /// <c>Clients:&lt;HttpClient name&gt;</c>. Everything is validated when the host starts; a reload that fails validation
    /// is logged and the last good settings stay in force.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">The configuration section.</param>
    /// <returns>The value of <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddResiliencePresets(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        ResiliencePresetsServices.AddCore(services).Configuration = section;
        return services;
    }
}
