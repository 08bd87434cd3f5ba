using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Scenarios;
using StackExchange.Redis;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// One instance of the multi-instance scenario, run as a process of its own (<c>--instance</c>): one service provider
/// with one ReadOnlyApi client, as a pod of a service would have, sharing through Redis when told. It prints
/// <c>ready</c> once its client exists, waits for <c>go</c> on its standard input, sends its share of the requests
/// from its closed-loop workers, and prints its <see cref="InstanceReport"/> on one line.
/// </summary>
public static class InstanceMode
{
    /// <summary>The client's name in every instance: the default <c>Shared:Key</c>, as pods of one service would have.</summary>
    public const string ClientName = "api";

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var arguments = InstanceArguments.Parse(args);
        using var counters = new PresetCounters();
        using var shared = new SharedCounters();

        // Connected before "ready" so that no first request meets a connection still being made; the multiplexer has
        // the options AddResiliencePresetsRedis(string) gives its own (no abort on a failed connect, fail-fast commands).
        ConnectionMultiplexer? connection = null;
        if (arguments.Redis is { } redis)
        {
            var options = ConfigurationOptions.Parse(redis);
            options.AbortOnConnectFail = false;
            options.BacklogPolicy = BacklogPolicy.FailFast;
            connection = await ConnectionMultiplexer.ConnectAsync(options);
        }

        try
        {
            var settings = new Dictionary<string, string?>();
            if (arguments.PermitsPerSecond is { } rate)
            {
                settings["RateLimit:PermitsPerSecond"] = rate.ToString(CultureInfo.InvariantCulture);
            }

            if (arguments.SharedKey is { } key)
            {
                settings["Shared:Key"] = key;
            }

            var log = new WireLog();
            var setup = new ClientSetup(
                ClientName,
                b =>
                {
                    b.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
                    b.AddHttpMessageHandler(() => new WireCounter(log));
                },
                settings);
            using var host = ClientHost.Create(
                [(ClientName, setup, arguments.BaseAddress)],
                services =>
                {
                    if (connection is not null)
                    {
                        services.AddResiliencePresetsRedis(_ => connection);
                    }
                });
            var client = host.Client();

            Console.WriteLine("ready");
            if (Console.ReadLine() != "go")
            {
                return 2;
            }

            var startedAt = InstanceReport.Now();
            log.Start();
            var sampler = arguments.Trace ? new LearnedRateSampler() : null;
            // The first exception of each type a caller got is printed whole (the simulation shows the instance's
            // standard error), so that a failure in the table can be traced.
            var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            var (failures, elapsed) = await ClosedLoopWorkload.RunAsync(client, arguments.Workers, arguments.Requests, observe: e =>
            {
                if (seen.TryAdd(e.GetType().FullName ?? e.GetType().Name, true))
                {
                    Console.Error.WriteLine(e.ToString().ReplaceLineEndings(" | "));
                }
            });
            IReadOnlyList<double?> learnedRate = [];
            if (sampler is not null)
            {
                await sampler.DisposeAsync();
                learnedRate = sampler.Samples;
            }

            var attempts = log.Attempts;
            var report = new InstanceReport(
                startedAt,
                elapsed.TotalMilliseconds,
                [.. attempts.Select(a => a.At.TotalMilliseconds)],
                [.. attempts.Select(a => a.Sent.TotalMilliseconds)],
                [.. attempts.Select(a => a.Status ?? 0)],
                failures,
                counters.Get(ClientName, PresetCounters.Retries),
                counters.Get(ClientName, PresetCounters.Pauses),
                counters.Get(ClientName, PresetCounters.Throttled),
                shared.RoundTrips,
                shared.Fallbacks,
                learnedRate);
            Console.WriteLine(InstanceReport.Prefix + JsonSerializer.Serialize(report));
            return 0;
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
