using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace ResiliencePresets.Redis;

/// <summary>
/// The Redis keys and the channel of one shared key. Only configuration goes into a name: the prefix as written, and
/// the <c>Shared:Key</c> hashed (SHA-256, 32 hex digits), so that any key text gives a short name of fixed length. The
/// hash sits between braces, a Redis Cluster hash tag, so that a script's keys are always in one slot.
/// </summary>
internal sealed class SharedKeys
{
    public SharedKeys(string prefix, string key)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
        var root = $"{prefix}:{{{hash}}}";
        Pause = new RedisKey(root + ":pause");
        Bucket = new RedisKey(root + ":bucket");
        Learned = new RedisKey(root + ":learned");
        Instances = new RedisKey(root + ":instances");
        Channel = RedisChannel.Literal(root + ":notices");
        ChannelName = root + ":notices";
    }

    /// <summary>Gets the hash of the pause in force: its end and the reason, on Redis's clock.</summary>
    public RedisKey Pause { get; }

    /// <summary>Gets the hash of the shared token bucket: its tokens and when they were counted.</summary>
    public RedisKey Bucket { get; }

    /// <summary>Gets the hash of the bucket of the learned rate: its tokens and when they were counted.</summary>
    public RedisKey Learned { get; }

    /// <summary>Gets the sorted set of the instances that leased from the bucket lately, scored by when.</summary>
    public RedisKey Instances { get; }

    /// <summary>Gets the channel on which a pause that moved later is announced.</summary>
    public RedisChannel Channel { get; }

    public string ChannelName { get; }
}
