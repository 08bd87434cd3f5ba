using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace ResiliencePresets;

/// <summary>
/// The <see cref="StaleResponseStore"/> of each named client, for the service provider's lifetime. The
/// <see cref="HybridCache"/> is resolved on the first use, so that a provider whose clients leave stale-if-error off
/// never creates one.
/// </summary>
internal sealed class StaleResponseStores
{
    private readonly ConcurrentDictionary<string, StaleResponseStore> _stores = new(StringComparer.Ordinal);
    private readonly Lazy<HybridCache> _cache;

    public StaleResponseStores(IServiceProvider services)
    {
        _cache = new Lazy<HybridCache>(services.GetRequiredService<HybridCache>);
    }

    public StaleResponseStore For(string clientName) => _stores.GetOrAdd(clientName, _ => new StaleResponseStore(() => _cache.Value));
}
