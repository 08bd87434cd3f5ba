using System.Globalization;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// How every instance's client is set up in one run of the multi-instance scenario.
/// </summary>
/// <param name="Name">The row's name in the results.</param>
/// <param name="PermitsPerSecond">Each instance's <c>RateLimit:PermitsPerSecond</c>; <see langword="null"/> for none.</param>
/// <param name="Shared">Whether the instances share through one redis-server, under one <c>Shared:Key</c>.</param>
/// <param name="KillsRedis">Whether Redis is killed during the run, and started again.</param>
public sealed record MultiInstanceSetup(string Name, double? PermitsPerSecond, bool Shared, bool KillsRedis)
{
    /// <summary>Returns the setups side by side: each instance learning alone, each configured to its share of the rate,
    /// shared through Redis with the defaults, and the same with Redis killed and started again.</summary>
    public static IReadOnlyList<MultiInstanceSetup> All(MultiInstanceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var share = (double)settings.Rate / settings.Processes;
        var killed = settings.RedisKilledAt.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        var back = (settings.RedisKilledAt + settings.RedisDownFor).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        return
        [
            new("each learning alone (ReadOnlyApi defaults, no Redis)", null, Shared: false, KillsRedis: false),
            new($"each configured to its share (RateLimit:PermitsPerSecond = {share.ToString("0.##", CultureInfo.InvariantCulture)})", share, Shared: false, KillsRedis: false),
            new("shared through Redis, defaults", null, Shared: true, KillsRedis: false),
            new($"shared through Redis, defaults; Redis killed at {killed} s, back at {back} s", null, Shared: true, KillsRedis: true),
        ];
    }
}
