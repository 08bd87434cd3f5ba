using System.Diagnostics;
using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// Processes of one service against one limited server: each instance (<see cref="InstanceMode"/>, a process of its
/// own) has one client and its workers, and all start together. When the setup shares, the scenario starts a
/// redis-server of its own on a free loopback port, empty, and every instance uses it with one <c>Shared:Key</c>;
/// when the setup loses Redis, it is killed at <see cref="MultiInstanceSettings.RedisKilledAt"/> and started again,
/// empty, on the same port <see cref="MultiInstanceSettings.RedisDownFor"/> later.
/// </summary>
public static class MultiInstanceScenario
{
    public static async Task<MultiInstanceResult> RunAsync(string server, Uri baseAddress, MultiInstanceSetup setup, MultiInstanceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(settings);
        await using var redis = setup.Shared ? await RedisServer.StartAsync() : null;
        var key = $"simulation-{Guid.NewGuid():N}";
        var instances = await Task.WhenAll(Enumerable.Range(0, settings.Processes).Select(i => InstanceProcess.StartAsync(
            new InstanceArguments(baseAddress, settings.WorkersPerProcess, settings.RequestsOf(i), setup.PermitsPerSecond, redis?.Configuration, setup.Shared ? key : null, settings.Trace))));
        try
        {
            var startedAt = InstanceReport.Now();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(instances.Select(i => i.GoAsync()));
            var outage = setup.KillsRedis && redis is not null ? KillAndRestartAsync(redis, settings, clock) : Task.FromResult<(TimeSpan, TimeSpan)?>(null);
            var reports = await Task.WhenAll(instances.Select(i => i.ReportAsync((settings.Floor * 10) + TimeSpan.FromMinutes(1))));
            var killed = await outage;

            TimeSpan Since(InstanceReport report, double at) => TimeSpan.FromMilliseconds(report.StartedAt + at - startedAt);
            var attempts = reports
                .SelectMany(r => r.AttemptAt.Select((at, i) => (At: Since(r, at), Sent: Since(r, r.AttemptSentAt[i]), Status: r.AttemptStatus[i])))
                .OrderBy(a => a.At)
                .ToList();
            var failures = reports.SelectMany(r => r.Failures).GroupBy(f => f.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(f => f.Value), StringComparer.Ordinal);
            var fallbacks = reports.SelectMany(r => r.Fallbacks).GroupBy(f => f.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(f => f.Value), StringComparer.Ordinal);
            return new MultiInstanceResult(
                server,
                setup.Name,
                settings,
                attempts,
                failures,
                [.. reports.Select(r => Since(r, r.Elapsed))],
                killed,
                reports.Sum(r => r.Retries),
                reports.Sum(r => r.Pauses),
                reports.Sum(r => r.Throttled),
                reports.Sum(r => r.RoundTrips.Values.Sum()),
                fallbacks,
                [.. reports.Select(r => r.LearnedRate)]);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static async Task<(TimeSpan Killed, TimeSpan Back)?> KillAndRestartAsync(RedisServer redis, MultiInstanceSettings settings, Stopwatch clock)
    {
        await DelayUntil(clock, settings.RedisKilledAt);
        var killed = clock.Elapsed;
        await redis.StopAsync();
        await DelayUntil(clock, killed + settings.RedisDownFor);
        await redis.StartAgainAsync();
        return (killed, clock.Elapsed);
    }

    private static async Task DelayUntil(Stopwatch clock, TimeSpan at)
    {
        if (at > clock.Elapsed)
        {
            await Task.Delay(at - clock.Elapsed);
        }
    }
}
