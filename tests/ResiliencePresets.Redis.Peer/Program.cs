using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.RateLimiting;
using ResiliencePresets;
using ResiliencePresets.Redis.Peer;

// Usage: --redis CONFIG --url BASE [--key KEY] [--skew-seconds N] [--permits-per-second R --burst B --queue-limit Q]
// Commands, one per line: "get PATH" prints the outcome; "pause" prints the pause left in ms (this process's clock);
// "wait-pause" prints it once it is more than 0 (at most 10 s); "burst N PATH" sends N requests at once and prints
// their status codes, comma-separated, in order; "quit".
var arguments = PeerArguments.Parse(args);
var time = new SkewedTimeProvider(TimeSpan.FromSeconds(arguments.SkewSeconds));
var services = new ServiceCollection();
services.AddSingleton<TimeProvider>(time);
services.AddHealthChecks().AddResiliencePresets();
// Connected before "ready", so that the test's first request does not meet a connection still being made.
var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(arguments.Redis);
services.AddResiliencePresetsRedis(_ => connection);
services.AddHttpClient("peer", c => c.BaseAddress = new Uri(arguments.Url))
    .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o =>
    {
        o.Retry.MaxRetryAttempts = 0;
        o.TotalTimeout = TimeSpan.FromSeconds(5);
        o.AttemptTimeout = TimeSpan.FromSeconds(5);
        o.Shared.Key = arguments.Key;
        o.Shared.Timeout = TimeSpan.FromSeconds(1);
        o.RateLimit.PermitsPerSecond = arguments.PermitsPerSecond;
        o.RateLimit.Burst = arguments.Burst;
        o.RateLimit.QueueLimit = arguments.QueueLimit;
    });
await using var provider = services.BuildServiceProvider();
await using var _ = connection;
var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("peer");
var health = provider.GetRequiredService<HealthCheckService>();

async Task<double> PauseLeft()
{
    var report = await health.CheckHealthAsync();
    return report.Entries.Values.SelectMany(e => e.Data).FirstOrDefault(d => d.Key == "peer:paused_until").Value is DateTimeOffset until
        ? Math.Max(0, (until - time.GetUtcNow()).TotalMilliseconds)
        : 0;
}

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    var command = line.Split(' ', 2);
    switch (command[0])
    {
        case "get":
            try
            {
                using var response = await client.GetAsync(command[1]);
                Console.WriteLine(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception e) when (e is ClientPausedException || e.InnerException is ClientPausedException)
            {
                var paused = e as ClientPausedException ?? (ClientPausedException)e.InnerException!;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paused {paused.RetryAfter!.Value.TotalMilliseconds:0}"));
            }
            catch (Exception e) when (e is RateLimiterRejectedException || e.InnerException is RateLimiterRejectedException)
            {
                Console.WriteLine("rejected");
            }
#pragma warning disable CA1031 // The test reads every other outcome as a failure of the request.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Console.WriteLine($"error {e.GetType().Name}");
            }

            break;
        case "pause":
            Console.WriteLine((await PauseLeft()).ToString("0", CultureInfo.InvariantCulture));
            break;
        case "wait-pause":
            var deadline = DateTime.UtcNow.AddSeconds(10);
            double left;
            while ((left = await PauseLeft()) <= 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Console.WriteLine(left.ToString("0", CultureInfo.InvariantCulture));
            break;
        case "burst":
            var burst = command[1].Split(' ', 2);
            var codes = await Task.WhenAll(Enumerable.Range(0, int.Parse(burst[0], CultureInfo.InvariantCulture)).Select(async _ =>
            {
                try
                {
                    using var response = await client.GetAsync(burst[1]);
                    return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                }
#pragma warning disable CA1031 // The test reads every outcome that is no response as a failure of the request.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    return $"error {e.GetType().Name}";
                }
            }));
            Console.WriteLine(string.Join(',', codes));
            break;
        case "quit":
            return;
        default:
            Console.WriteLine($"unknown {command[0]}");
            break;
    }
}
