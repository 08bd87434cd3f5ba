using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ResiliencePresets;
using ResiliencePresets.Redis;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Shares each preset client's server-imposed pause and token bucket with every other process that uses the same
/// Redis and the same <c>Shared:Key</c>.
/// </summary>
public static class ResiliencePresetsRedisServiceCollectionExtensions
{
    /// <summary>
    /// Shares client state through the Redis (or Valkey, or another server that speaks its protocol) that
    /// <paramref name="configuration"/> names, such as <c>localhost:6379</c>. The connection is made in the background
    /// with <c>abortConnect=false</c> and fail-fast commands; until it is made, and whenever Redis is slow or down,
    /// clients run on their local state. Every client with a preset shares unless its <c>Shared:Enabled</c> is false.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string.</param>
    /// <returns>The value of <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="configuration"/> is <see langword="null"/>, empty, or not a
    /// StackExchange.Redis configuration string.</exception>
    public static IServiceCollection AddResiliencePresetsRedis(this IServiceCollection services, string configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);

        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException e)
        {
            // The library's message names the option; the string itself may hold a password, so it is not repeated.
            throw new ArgumentException($"The Redis configuration string for ResiliencePresets is not valid: {e.Message}", nameof(configuration), e);
        }

        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return Add(services, _ => ConnectionMultiplexer.Connect(options), owned: true);
    }

    /// <summary>
    /// Shares client state through the multiplexer <paramref name="connection"/> returns, such as the application's own
    /// (<c>sp =&gt; sp.GetRequiredService&lt;IConnectionMultiplexer&gt;()</c>). It is asked for once, in the background,
    /// and is not disposed by this library. Every client with a preset shares unless its <c>Shared:Enabled</c> is false.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connection">Returns the multiplexer to use.</param>
    /// <returns>The value of <paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="connection"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddResiliencePresetsRedis(this IServiceCollection services, Func<IServiceProvider, IConnectionMultiplexer> connection)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(connection);

        return Add(services, connection, owned: false);
    }

    private static IServiceCollection Add(IServiceCollection services, Func<IServiceProvider, IConnectionMultiplexer> connection, bool owned)
    {
        ResiliencePresetsServices.AddCore(services);
        services.RemoveAll<RedisConnection>();
        services.TryAddSingleton<SharedMetrics>();
        services.AddSingleton(provider => new RedisConnection(
            () => connection(provider),
            owned,
            provider.GetService<TimeProvider>() ?? TimeProvider.System,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(SharedLog.Category),
            provider.GetRequiredService<SharedMetrics>()));
        services.TryAddSingleton<IClientStateSharing, RedisClientStateSharing>();
        return services;
    }
}
