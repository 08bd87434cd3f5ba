using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using ResiliencePresets;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds a health check that reports the clients a resilience preset is holding back.
/// </summary>
public static class ResiliencePresetsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that reports <paramref name="failureStatus"/> (by default
    /// <see cref="HealthStatus.Degraded"/>) while any client with a preset has its circuit breaker open or is paused
    /// because its server asked it to wait, naming each such client and until when; and
    /// <see cref="HealthStatus.Healthy"/> otherwise. Clients that have not sent a request yet are not reported.
    /// </summary>
    /// <remarks>
    /// The result's data has, per client, <c>&lt;client&gt;:circuit_breaker</c> (<c>closed</c>, <c>open</c>,
    /// <c>half_open</c>), and while they apply <c>&lt;client&gt;:circuit_breaker_open_until</c> and
    /// <c>&lt;client&gt;:paused_until</c> (UTC times). It never holds a URL or a header value.
    /// </remarks>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; <c>resiliencepresets</c> by default.</param>
    /// <param name="failureStatus">The status reported while a client is held back; <see cref="HealthStatus.Degraded"/>
    /// when <see langword="null"/>, the default.</param>
    /// <param name="tags">Tags for filtering checks, such as <c>ready</c>; none by default.</param>
    /// <returns>The value of <paramref name="builder"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IHealthChecksBuilder AddResiliencePresets(
        this IHealthChecksBuilder builder,
        string name = "resiliencepresets",
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);

        builder.Services.TryAddSingleton<ClientRuntimeRegistry>();
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new ResiliencePresetsHealthCheck(services.GetRequiredService<ClientRuntimeRegistry>(), services.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus ?? HealthStatus.Degraded,
            tags));
    }
}
