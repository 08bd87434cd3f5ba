using Microsoft.Extensions.Caching.Hybrid;

namespace ResiliencePresets;

/// <summary>
/// Where one named client keeps its responses: the application's <see cref="HybridCache"/> (memory, and its distributed
/// cache as a second level when it has one), bounded to <c>Fallback:MaxEntries</c> entries by <see cref="StaleEntryIndex"/>.
/// Lifetime: one named client, across pipeline rebuilds. A cache that fails is a miss on reading and is ignored on
/// writing: keeping a copy never fails a request.
/// </summary>
internal sealed class StaleResponseStore
{
    // A read never fills the memory level from the distributed one, so that memory holds only what this index counts.
    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    private readonly Func<HybridCache> _cache;
    private readonly StaleEntryIndex _index = new();

    public StaleResponseStore(Func<HybridCache> cache)
    {
        _cache = cache;
    }

    /// <summary>Gets how many responses the client holds.</summary>
    public int Count => _index.Count;

    public void Keep(string key, StoredResponse response, TimeSpan expiration, int capacity)
    {
        var evicted = _index.Add(key, capacity);
        var options = new HybridCacheEntryOptions { Expiration = expiration, LocalCacheExpiration = expiration };
        Write(cache => cache.SetAsync(key, response.ToBytes(), options));
        foreach (var oldest in evicted ?? [])
        {
            Write(cache => cache.RemoveAsync(oldest));
        }
    }

    public void Forget(string key)
    {
        if (_index.Remove(key))
        {
            Write(cache => cache.RemoveAsync(key));
        }
    }

    public async ValueTask<StoredResponse?> FindAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await _cache().GetOrCreateAsync(key, static _ => ValueTask.FromResult<byte[]?>(null), ReadOnly, cancellationToken: cancellationToken).ConfigureAwait(false);
            return StoredResponse.FromBytes(bytes);
        }
#pragma warning disable CA1031 // A cache that cannot be read holds nothing to answer with; the request's own failure stands.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    // Called while the caller reads the body: a write is started, never awaited, and nothing it throws reaches the caller.
    private void Write(Func<HybridCache, ValueTask> operation)
    {
        ValueTask write;
        try
        {
            write = operation(_cache());
        }
#pragma warning disable CA1031 // A cache that refuses the write loses one copy; the response is delivered all the same.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        if (write.IsCompletedSuccessfully)
        {
            return;
        }

        _ = Completion(write);

        static async Task Completion(ValueTask write)
        {
            try
            {
                await write.ConfigureAwait(false);
            }
#pragma warning disable CA1031 // A write that fails loses one copy; the response was already delivered.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
