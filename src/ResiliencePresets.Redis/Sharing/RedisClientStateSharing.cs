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
        var shared = preset.SharedEnabled
            ? _shared.GetOrAdd((preset.SharedKeyPrefix, preset.SharedKey), key => new SharedClient(new SharedKeys(key.Prefix, key.Key), _redis, _time, _instance))
            : null;

        // A reload that changed the key, or turned sharing off, takes the client out of what it shared before.
        foreach (var other in _shared.Values.Where(other => other != shared))
        {
            other.Leave(client);
        }

        shared?.Join(client, preset.SharedTimeout);
        return shared;
    }

    public void Dispose() => _redis.Usable -= SyncAll;

    private void SyncAll()
    {
        foreach (var shared in _shared.Values)
        {
            shared.Restored();
            _ = shared.SyncAsync();
        }
    }
}
