using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ResiliencePresets.Redis.Tests.TestSupport;

/// <summary>
/// One instance of a service: a service provider with one preset client that shares through Redis, its logs, and the
/// Redis package's counters of this provider. Two hosts in one process are two instances.
/// </summary>
public sealed class SharedHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _fallbacks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _gauges = new(StringComparer.Ordinal);

    private SharedHost(ServiceProvider services, string clientName, TimeProvider time, ConcurrentQueue<(LogLevel Level, string EventName, string Message)> logs)
    {
        _services = services;
        Logs = logs;
        ClientName = clientName;
        Time = time;
        var meters = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Name.StartsWith("resiliencepresets.", StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var all = tags.ToArray();
            var operation = all.FirstOrDefault(t => t.Key == "resiliencepresets.shared.operation").Value;
            _counts.AddOrUpdate(operation is null ? instrument.Name : $"{instrument.Name}:{operation}", value, (_, sum) => sum + value);
            if (instrument.Name == "resiliencepresets.shared.fallbacks")
            {
                var reason = all.FirstOrDefault(t => t.Key == "resiliencepresets.reason").Value;
                _fallbacks.AddOrUpdate($"{operation}/{reason}", value, (_, sum) => sum + value);
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => _gauges[instrument.Name] = value);
        _listener.Start();
    }

    private IConfigurationRoot? _configuration;

    public string ClientName { get; }

    public TimeProvider Time { get; }

    public ConcurrentQueue<(LogLevel Level, string EventName, string Message)> Logs { get; }

    public HttpClient Client => _services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    /// <summary>Gets how long the client's pause has left, on this instance's clock.</summary>
    public TimeSpan PauseLeft => _services.GetRequiredService<ClientRuntimeRegistry>().For(ClientName).Scopes.LongestPause(Time.GetUtcNow());

    /// <summary>
    /// Starts an instance whose client <paramref name="clientName"/> calls <paramref name="baseUrl"/> under ReadOnlyApi
    /// without retries and with a 5 s TotalTimeout, so that a longer pause refuses at once; <paramref name="json"/> is
    /// the client's configuration section, <paramref name="configure"/> the options in code.
    /// </summary>
    public static SharedHost Start(
        Func<IServiceCollection, IServiceCollection> redis,
        string baseUrl,
        string clientName = "api",
        string json = "{}",
        Action<ResiliencePresetOptions>? configure = null,
        TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        // Memory on top of the JSON, so that a test can change a value and reload.
        var root = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{ "ResiliencePresets": { "Clients": { "{{clientName}}": {{json}} } } }""")))
            .Build();
        var configuration = new ConfigurationBuilder().AddConfiguration(root).AddInMemoryCollection().Build();
        var services = new ServiceCollection();
        var logs = new ConcurrentQueue<(LogLevel Level, string EventName, string Message)>();
        services.AddSingleton(time);
        services.AddMetrics();
        services.AddLogging(b => b.AddProvider(new QueueLoggerProvider(logs)).SetMinimumLevel(LogLevel.Information));
        services.AddResiliencePresets(configuration.GetSection("ResiliencePresets"));
        redis(services);
        services.AddHttpClient(clientName, c => c.BaseAddress = new Uri(baseUrl))
            .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o =>
            {
                o.Retry.MaxRetryAttempts = 0;
                o.TotalTimeout = TimeSpan.FromSeconds(5);
                o.AttemptTimeout = TimeSpan.FromSeconds(5);
                configure?.Invoke(o);
            });
        return new SharedHost(services.BuildServiceProvider(), clientName, time, logs) { _configuration = configuration };
    }

    /// <summary>Shares through the server's configuration string, as <c>AddResiliencePresetsRedis("host:port")</c>.</summary>
    public static Func<IServiceCollection, IServiceCollection> Through(RedisServer redis) => s => s.AddResiliencePresetsRedis(redis.Configuration);

    /// <summary>Shares through a multiplexer of the test's, which reconnects every 100 ms after a lost connection.</summary>
    public static Func<IServiceCollection, IServiceCollection> ThroughQuickReconnect(RedisServer redis) => s => s.AddResiliencePresetsRedis(_ =>
    {
        var options = ConfigurationOptions.Parse(redis.Configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(100);
        return ConnectionMultiplexer.Connect(options);
    });

    /// <summary>Changes one of the client's settings (<c>Shared:Key</c>) and reloads, as an edited appsettings.json does.</summary>
    public void Change(string key, string value)
    {
        _configuration![$"ResiliencePresets:Clients:{ClientName}:{key}"] = value;
        _configuration.Reload();
    }

    /// <summary>Gets the sum of a counter of this instance, by name, or by name and operation (<c>name:operation</c>).</summary>
    public long Count(string name)
    {
        _listener.RecordObservableInstruments();
        return _counts.TryGetValue(name, out var count) ? count : _counts.Where(c => c.Key.StartsWith(name + ":", StringComparison.Ordinal)).Sum(c => c.Value);
    }

    /// <summary>Gets this instance's fallbacks to local state so far, by operation and reason (for a failure message).</summary>
    public string Fallbacks => _fallbacks.IsEmpty ? "none" : string.Join(", ", _fallbacks.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key} ×{f.Value}"));

    /// <summary>Gets the value a gauge of this instance (<c>resiliencepresets.shared.degraded</c>) reports now.</summary>
    public int Gauge(string name)
    {
        _listener.RecordObservableInstruments();
        return _gauges.TryGetValue(name, out var value) ? value : -1;
    }

    /// <summary>
    /// Makes the instance's Redis connection now and returns once it can be used, so that a test that counts permits
    /// is not run on the local fallback by a connection a busy machine made late.
    /// </summary>
    public async Task ConnectedAsync()
    {
        var redis = _services.GetRequiredService<RedisConnection>();
        await Eventually.Value(() => redis.Multiplexer is { IsConnected: true } && !redis.IsDegraded, connected => connected, "the Redis connection");
    }

    public async Task<string> GetAsync(string path)
    {
        try
        {
            using var response = await Client.GetAsync(path);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (Unwrap(e) is ClientPausedException paused)
        {
            return $"paused {paused.RetryAfter!.Value.TotalSeconds:0}s";
        }
        catch (Exception e) when (Unwrap(e) is Polly.RateLimiting.RateLimiterRejectedException)
        {
            return "rejected";
        }
    }

    /// <summary>
    /// Asserts that an answer of <see cref="GetAsync"/> is a refusal under a pause of <paramref name="seconds"/>: what is
    /// left of it when the request came, which the time the test took since the pause began (a second or more for a
    /// new instance on a busy machine) has shortened, so up to five seconds less.
    /// </summary>
    public static void AssertPaused(int seconds, string answer)
    {
        Assert.StartsWith("paused ", answer, StringComparison.Ordinal);
        Assert.EndsWith("s", answer, StringComparison.Ordinal);
        Assert.InRange(int.Parse(answer["paused ".Length..^1], System.Globalization.CultureInfo.InvariantCulture), seconds - 5, seconds);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        await _services.DisposeAsync();
    }

    private static Exception Unwrap(Exception e) => e.InnerException is { } inner && e is HttpRequestException or TaskCanceledException ? inner : e;

    private sealed class QueueLoggerProvider(ConcurrentQueue<(LogLevel Level, string EventName, string Message)> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(logs);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(ConcurrentQueue<(LogLevel Level, string EventName, string Message)> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => logs.Enqueue((logLevel, eventId.Name ?? string.Empty, formatter(state, exception)));
    }
}
