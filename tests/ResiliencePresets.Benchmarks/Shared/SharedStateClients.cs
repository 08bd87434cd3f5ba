using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using ResiliencePresets.Redis.Tests.TestSupport;
using StackExchange.Redis;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// The ReadOnlyApi preset in each state a client can be in, twice: in a service provider without Redis, and in one
/// with <c>AddResiliencePresetsRedis</c> sharing through a redis-server this class starts on loopback (and stops).
/// Each client of the shared provider has a key of its own (its name), so that the setups never share a bucket.
/// </summary>
internal sealed class SharedStateClients : IAsyncDisposable
{
    /// <summary>Answered 200, no headers: nothing is in force, so sharing makes no round trip.</summary>
    public const string HappyPath = "200";

    /// <summary>Answered 200 with a quota of 1,000,000 a second: the host's pace is in force, never waited for.</summary>
    public const string QuotaPace = "quota pace";

    /// <summary>Answered 200; <c>RateLimit:PermitsPerSecond</c> and <c>:Burst</c> 100,000 (the largest rate allowed): the bucket counts every request.</summary>
    public const string ConfiguredBucket = "configured bucket";

    /// <summary>A bare 429 first (a rate signal), then 200 with the quota: the learned rate, set by the quota, holds every attempt.</summary>
    public const string LearnedRate = "learned rate";

    private static readonly Uri BaseAddress = new("http://api.benchmark.invalid/");

    private readonly RedisServer _redis;
    private readonly ConnectionMultiplexer _connection;
    private readonly ServiceProvider _local;
    private readonly ServiceProvider _shared;
    private readonly MeterListener _fallbacks = new();
    private long _fallbackCount;

    private SharedStateClients(RedisServer redis, ConnectionMultiplexer connection)
    {
        (_redis, _connection) = (redis, connection);
        _local = Build(shared: false);
        _shared = Build(shared: true);
        _fallbacks.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == "resiliencepresets.shared.fallbacks")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _fallbacks.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _fallbackCount, value));
        _fallbacks.Start();
    }

    /// <summary>Gets how many Redis calls fell back to local state (a timeout, an error, no connection): a shared
    /// setup measured while it fell back would look cheaper than it is.</summary>
    public long Fallbacks => Interlocked.Read(ref _fallbackCount);

    public static IReadOnlyList<string> Scenarios { get; } = [HappyPath, QuotaPace, ConfiguredBucket, LearnedRate];

    public static async Task<SharedStateClients> StartAsync()
    {
        var redis = await RedisServer.StartAsync();
        return new SharedStateClients(redis, await ConnectionMultiplexer.ConnectAsync(redis.Configuration));
    }

    /// <summary>
    /// Creates the scenario's client, without Redis or with it, and checks that one request through it ends in 200 (the
    /// first request of the learned-rate scenario is retried), so that no benchmark measures a setup that failed.
    /// </summary>
    public async Task<HttpClient> CreateAsync(string scenario, bool shared)
    {
        var client = (shared ? _shared : _local).GetRequiredService<IHttpClientFactory>().CreateClient(Name(scenario));
        var status = await SendAsync(client);
        return status == HttpStatusCode.OK
            ? client
            : throw new InvalidOperationException($"The {scenario} client ({(shared ? "Redis" : "local")}) ended its request with {(int)status}, not 200.");
    }

    /// <summary>Returns whether the scenario's client is in the state it is named for: throttling for the learned rate.</summary>
    public bool InState(string scenario, bool shared)
    {
        var learner = (shared ? _shared : _local).GetRequiredService<ClientRuntimeRegistry>().For(Name(scenario)).Learner;
        return (scenario == LearnedRate) == (learner?.IsEngaged ?? false);
    }

    /// <summary>Gets how many scripts the redis-server has run, from its own statistics: the shared state's round trips.</summary>
    public Task<long> ScriptCallsAsync() => _redis.ScriptCallsAsync();

    /// <summary>Gets the database of the redis-server, for a round trip of the benchmark's own.</summary>
    public IDatabase Database => _connection.GetDatabase();

    public static async Task<HttpStatusCode> SendAsync(HttpClient client)
    {
        using var response = await client.GetAsync("v1/items");
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        _fallbacks.Dispose();
        await _local.DisposeAsync();
        await _shared.DisposeAsync();
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    private static string Name(string scenario) => scenario.Replace(' ', '-');

    private ServiceProvider Build(bool shared)
    {
        var services = new ServiceCollection();
        if (shared)
        {
            services.AddResiliencePresetsRedis(_ => _connection);
        }

        foreach (var scenario in Scenarios)
        {
            services.AddHttpClient(Name(scenario), client => client.BaseAddress = BaseAddress)
                .ConfigurePrimaryHttpMessageHandler(() => scenario is QuotaPace or LearnedRate
                    ? new QuotaResponseHandler(throttleFirst: scenario == LearnedRate)
                    : new CannedResponseHandler(HttpStatusCode.OK))
                .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
                .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, options =>
                {
                    options.Retry.BaseDelay = TimeSpan.Zero;
                    if (scenario == ConfiguredBucket)
                    {
                        options.RateLimit.PermitsPerSecond = 100_000;
                        options.RateLimit.Burst = 100_000;
                    }
                });
        }

        return services.BuildServiceProvider();
    }
}
