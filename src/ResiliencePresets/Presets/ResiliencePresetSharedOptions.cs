namespace ResiliencePresets;

/// <summary>
/// What a client shares with every other process that uses the same Redis and the same <see cref="Key"/>: the
/// server-imposed pause and the <c>RateLimit</c> token bucket. Inert unless the ResiliencePresets.Redis package is
/// registered (<c>AddResiliencePresetsRedis</c>). Configuration section: <c>Shared</c>.
/// </summary>
public sealed class ResiliencePresetSharedOptions
{
    /// <summary>The prefix of every Redis key and channel this library writes, unless <see cref="KeyPrefix"/> says otherwise.</summary>
    public const string DefaultKeyPrefix = "resiliencepresets";

    /// <summary>
    /// Gets or sets a value indicating whether the client shares its state through Redis once Redis is registered.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets the name under which processes share: clients in different services that call the same account give
    /// the same key. Unset, it is the HttpClient's name. It is hashed into the Redis keys, never written as is. Valid:
    /// unset, or 1 to 256 characters, not all white space.
    /// </summary>
    /// <value>Default: none.</value>
    public string? Key { get; set; }

    /// <summary>
    /// Gets or sets how long a request waits for Redis before it goes on with the client's local state. Valid:
    /// 00:00:00.001 to 00:00:05.
    /// </summary>
    /// <value>Default: 00:00:00.02.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Gets or sets the prefix of the client's Redis keys and channel, so that environments sharing one Redis stay
    /// apart. Valid: 1 to 64 characters, each a letter, a digit, or one of <c>- _ . :</c>.
    /// </summary>
    /// <value>Default: <c>resiliencepresets</c>.</value>
    public string KeyPrefix { get; set; } = DefaultKeyPrefix;
}
