using System.Collections.Concurrent;

namespace ResiliencePresets.Redis;

/// <summary>
/// Joins each client whose preset shares (<c>Shared:Enabled</c>) to the <see cref="SharedClient"/> of its
/// <c>Shared:KeyPrefix</c> and <c>Shared:Key</c>, one per service provider, which counts as one instance; and syncs
/// every shared key whenever Redis is usable again.
/// </summary>
internal sealed class RedisClientStateSharing : IClientStateSharing, IDisposable
{
    private readonly ConcurrentDictionary<(string Prefix, string Key), SharedClient> _shared = new();
    private readonly RedisConnection _redis;
    private readonly TimeProvider _time;
    private readonly string _instance = Guid.NewGuid().ToString("N");

    public RedisClientStateSharing(RedisConnection redis, TimeProvider? time = null)
    {
        _redis = redis;
        _time = time ?? TimeProvider.System;
        redis.Usable += SyncAll;
    }

    public ISharedClientState? Join(CompiledPreset preset, ClientRuntime client)
    {
        if (!preset.SharedEnabled)
        {
            return null;
        }

        var shared = _shared.GetOrAdd((preset.SharedKeyPrefix, preset.SharedKey), key => new SharedClient(new SharedKeys(key.Prefix, key.Key), _redis, _time, _instance));
        shared.Join(client, preset.SharedTimeout);
        return shared;
    }

    public void Dispose() => _redis.Usable -= SyncAll;

    private void SyncAll()
    {
        foreach (var shared in _shared.Values)
        {
            _ = shared.SyncAsync();
        }
    }
}
