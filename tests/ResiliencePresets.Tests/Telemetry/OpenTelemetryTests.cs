using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Telemetry;

/// <summary>
/// What an OpenTelemetry dashboard receives: the <c>ResiliencePresets</c> and <c>Polly</c> meters and HttpClient's own
/// spans, registered as an application registers them and read back from the SDK's in-memory exporter.
/// </summary>
[Collection(MeterIsolation.Name)]
public sealed class OpenTelemetryTests : IClassFixture<FlakyServer>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FlakyServer _server;
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly List<Activity> _spans = [];

    public OpenTelemetryTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task MeterProvider_ReceivesRetriesByCauseTheirWaitsAndPollysAttempts()
    {
        const string Client = "otel-retries";
        var path = _server.Respond("/otel/retries", Status(503), Status(429, ("retry-after-ms", "5")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, clientName: Client, services: AddOpenTelemetry);
        StartMeterProvider(api);

        using var response = await api.Client.GetAsync(path);
        Flush(api);

        Assert.Equal(1, Sum("resiliencepresets.requests", Client));
        var retries = Points("resiliencepresets.retries", Client);
        Assert.Equal(["429", "503"], retries.Select(p => p.Tags["error.type"]).Order());
        Assert.All(retries, p => Assert.Equal("status", p.Tags["resiliencepresets.reason"]));
        Assert.All(retries, p => Assert.Equal(1, p.Point.GetSumLong()));
        var delays = Points("resiliencepresets.retry.delay", Client);
        Assert.Equal(["backoff", "header"], delays.Select(p => p.Tags["resiliencepresets.source"]).Order());
        Assert.Equal([0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], BucketBounds(delays[0].Point));

        var polly = Points("resilience.polly.strategy.events", Client, "pipeline.instance");
        Assert.Equal(2, polly.Where(p => Equals(p.Tags["event.name"], "OnRetry")).Sum(p => p.Point.GetSumLong()));
        Assert.All(polly, p => Assert.Equal($"ResiliencePresets:{Client}", p.Tags["pipeline.name"]));
        var attempts = Points("resilience.polly.strategy.attempt.duration", Client, "pipeline.instance");
        Assert.Equal([0, 1, 2], attempts.Select(p => Convert.ToInt32(p.Tags["attempt.number"], System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    [Fact]
    public async Task PollysMeter_NamesTheStrategyOfEachEvent_AndMeasuresDurationsInMilliseconds()
    {
        const string Client = "otel-polly";
        var path = _server.RespondSlowOnce("/otel/polly", TimeSpan.FromSeconds(3));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        }, clientName: Client, services: AddOpenTelemetry);
        StartMeterProvider(api);

        using var response = await api.Client.GetAsync(path);
        Flush(api);

        var events = Points("resilience.polly.strategy.events", Client, "pipeline.instance")
            .Select(p => ($"{p.Tags["event.name"]}", $"{p.Tags.GetValueOrDefault("strategy.name")}")).ToHashSet();
        Assert.Superset(new HashSet<(string, string)> { ("OnTimeout", "AttemptTimeout"), ("OnRetry", "Retry"), ("PipelineExecuting", "") }, events);
        Assert.Equal("ms", Assert.Single(_metrics, m => m.Name == "resilience.polly.strategy.attempt.duration").Unit);
        Assert.Equal("ms", Assert.Single(_metrics, m => m.Name == "resilience.polly.pipeline.duration").Unit);
        var attempts = Points("resilience.polly.strategy.attempt.duration", Client, "pipeline.instance");
        Assert.Equal([("0", "True"), ("1", "False")], attempts.Select(p => ($"{p.Tags["attempt.number"]}", $"{p.Tags["attempt.handled"]}")).Order());
        Assert.All(Points("resilience.polly.pipeline.duration", Client, "pipeline.instance"), p => Assert.Equal($"ResiliencePresets:{Client}", p.Tags["pipeline.name"]));
    }

    [Fact]
    public async Task MeterProvider_ReceivesBreakerStateAndBudgetRefusals()
    {
        const string Client = "otel-breaker";
        var time = new FakeTimeProvider(Start);
        var path = _server.Respond("/otel/breaker", Status(503));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 1;
            o.RetryBudget.MinRetries = 0;
            o.RetryBudget.MaxRetryRatio = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
        }, clientName: Client, services: s => AddOpenTelemetry(s.AddSingleton<TimeProvider>(time)));
        StartMeterProvider(api);

        (await api.Client.GetAsync(path)).Dispose();
        (await api.Client.GetAsync(path)).Dispose();
        Flush(api);

        Assert.Equal(2, Sum("resiliencepresets.retry_budget.refusals", Client));
        Assert.Equal(1, Sum("resiliencepresets.circuit_breaker.transitions", Client));
        Assert.Equal(new Dictionary<string, long> { ["closed"] = 0, ["open"] = 1, ["half_open"] = 0 }, BreakerStates(Client));
        Assert.Equal(1, Points("resilience.polly.strategy.events", Client, "pipeline.instance")
            .Where(p => Equals(p.Tags["event.name"], "OnCircuitOpened")).Sum(p => p.Point.GetSumLong()));

        time.Advance(TimeSpan.FromSeconds(5));
        Flush(api);

        Assert.Equal(new Dictionary<string, long> { ["closed"] = 0, ["open"] = 0, ["half_open"] = 1 }, BreakerStates(Client));
        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task MeterProvider_ReceivesPausesAndTheTimeLeftOnThem()
    {
        const string Client = "otel-pause";
        var time = new FakeTimeProvider(Start);
        var path = _server.Respond("/otel/pause", Status(429, ("Retry-After", "20")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAttempts = 0,
            clientName: Client, services: s => AddOpenTelemetry(s.AddSingleton<TimeProvider>(time)));
        StartMeterProvider(api);

        (await api.Client.GetAsync(path)).Dispose();
        Flush(api);
        var pauses = Assert.Single(Points("resiliencepresets.client.pauses", Client));
        var justPaused = Assert.Single(Points("resiliencepresets.client.pause.remaining", Client)).Point.GetGaugeLastValueDouble();
        time.Advance(TimeSpan.FromSeconds(15));
        Flush(api);
        var later = Assert.Single(Points("resiliencepresets.client.pause.remaining", Client)).Point.GetGaugeLastValueDouble();
        time.Advance(TimeSpan.FromSeconds(5));
        Flush(api);
        var over = Assert.Single(Points("resiliencepresets.client.pause.remaining", Client)).Point.GetGaugeLastValueDouble();

        Assert.Equal(429, pauses.Tags["http.response.status_code"]);
        Assert.Equal(1, pauses.Point.GetSumLong());
        Assert.Equal([20, 5, 0], new[] { justPaused, later, over });
    }

    // Regression: the gauges reported a client (pause 0, breaker closed) from the moment its HttpClient was created.
    [Fact]
    public async Task Gauges_ReportAClientFromItsFirstRequest_NotFromItsCreation()
    {
        const string Client = "otel-unused";
        var path = _server.Respond("/otel/unused", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, clientName: Client, services: AddOpenTelemetry);
        StartMeterProvider(api);

        Flush(api);
        var created = Points("resiliencepresets.client.pause.remaining", Client).Count + Points("resiliencepresets.circuit_breaker.state", Client).Count;
        (await api.Client.GetAsync(path)).Dispose();
        Flush(api);

        Assert.Equal(0, created);
        Assert.Equal(0, Assert.Single(Points("resiliencepresets.client.pause.remaining", Client)).Point.GetGaugeLastValueDouble());
        Assert.Equal(new Dictionary<string, long> { ["closed"] = 1, ["open"] = 0, ["half_open"] = 0 }, BreakerStates(Client));
        Assert.Empty(Points("resiliencepresets.client.learned_rate", Client));
    }

    [Fact]
    public async Task ClientWithoutABreaker_ReportsItsPauseButNoBreakerState()
    {
        const string Client = "otel-no-breaker";
        var path = _server.Respond("/otel/no-breaker", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.CircuitBreaker.Enabled = false,
            clientName: Client, services: AddOpenTelemetry);
        StartMeterProvider(api);

        (await api.Client.GetAsync(path)).Dispose();
        Flush(api);

        Assert.Equal(0, Assert.Single(Points("resiliencepresets.client.pause.remaining", Client)).Point.GetGaugeLastValueDouble());
        Assert.Empty(Points("resiliencepresets.circuit_breaker.state", Client));
    }

    [Fact]
    public async Task LearnedRateGauge_ReportsAThrottlingClientUntilItStops_AndTheLogsSayWhen()
    {
        const string Client = "otel-learned";
        var time = new FakeTimeProvider(Start);
        var ok = _server.Respond("/otel/learned/ok", Status(200));
        var limited = _server.Respond("/otel/learned/429", Status(429));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAttempts = 0,
            clientName: Client, services: s => AddOpenTelemetry(s.AddSingleton<TimeProvider>(time)));
        StartMeterProvider(api);

        (await api.Client.GetAsync(ok)).Dispose();
        (await api.Client.GetAsync(limited)).Dispose();
        Flush(api);
        var throttling = Points("resiliencepresets.client.learned_rate", Client);

        // The first response after 60 s without a rate signal ends the throttling.
        time.Advance(TimeSpan.FromSeconds(61));
        (await api.Client.GetAsync(ok)).Dispose();
        Flush(api);

        Assert.True(Assert.Single(throttling).Point.GetGaugeLastValueDouble() > 0);
        Assert.Empty(Points("resiliencepresets.client.learned_rate", Client));
        var lines = api.Logs.Entries.Where(e => e.Category == "ResiliencePresets").Select(e => (e.EventId.Id, e.EventId.Name, e.Level)).ToList();
        Assert.Equal([(8, "ThrottlingStarted", LogLevel.Information), (9, "ThrottlingStopped", LogLevel.Information)], lines);
        Assert.Contains(api.Logs.Entries, e => e.EventId.Name == "ThrottlingStarted" && e.Message.StartsWith($"{Client} now paces every request at a learned rate of ", StringComparison.Ordinal)
            && e.Message.EndsWith(" per second, taught by a 429 response with no wait or quota header.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HttpClientSpans_OnePerAttempt_EachTheParentOfWhatTheServerSaw()
    {
        var path = _server.Respond("/otel/spans", Status(503), Status(429, ("retry-after-ms", "5")), Status(200));
        using var caller = new ActivitySource("ResiliencePresets.Tests.Caller");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, clientName: "otel-spans", services: s => s.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource("System.Net.Http")
                .AddSource(caller.Name)
                .AddInMemoryExporter(_spans)));
        var tracer = api.Services.GetRequiredService<TracerProvider>();

        // Every source in the process, to see that the preset starts no span of its own (the in-process server's are
        // Microsoft.AspNetCore's).
        var sources = new System.Collections.Concurrent.ConcurrentQueue<(ActivityTraceId Trace, string Source)>();
        using var everything = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
            ActivityStarted = a => sources.Enqueue((a.TraceId, a.Source.Name)),
        };
        ActivitySource.AddActivityListener(everything);

        ActivityTraceId trace;
        using (var parent = caller.StartActivity("caller"))
        {
            trace = parent!.TraceId;
            using var response = await api.Client.GetAsync(path + "?api_key=s3cr3t");
        }

        tracer.ForceFlush();
        var root = _spans.Single(s => s.TraceId == trace && s.Source.Name == caller.Name);
        var attempts = _spans.Where(s => s.TraceId == trace && s.OperationName == "System.Net.Http.HttpRequestOut").OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal([503, 429, 200], attempts.Select(s => (int)s.GetTagItem("http.response.status_code")!));
        Assert.All(attempts, s => Assert.Equal(root.SpanId, s.ParentSpanId));
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Error, ActivityStatusCode.Unset], attempts.Select(s => s.Status));
        Assert.Equal(["503", "429", null], attempts.Select(s => s.GetTagItem("error.type") as string));
        Assert.All(attempts, s => Assert.Equal("GET", s.DisplayName));
        Assert.All(sources.Where(s => s.Trace == trace).Select(s => s.Source).Distinct(),
            source => Assert.True(source is "System.Net.Http" or "Microsoft.AspNetCore" || source == caller.Name || source.StartsWith("Experimental.System.Net.", StringComparison.Ordinal), source));
        Assert.All(attempts, s => Assert.Equal($"{_server.Url}/otel/spans?*", s.GetTagItem("url.full")));
        Assert.Equal(attempts.Select(s => s.Id), _server.Requests(path).Select(r => r.RequestMessage.Headers!["traceparent"].Single()));
    }

    private void AddOpenTelemetry(IServiceCollection services)
        => services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter("ResiliencePresets", "Polly")
                .AddInMemoryExporter(_metrics));

    // The generic host builds the providers when it starts; a bare service provider builds them when first asked.
    private static void StartMeterProvider(PresetClient api) => api.Services.GetRequiredService<MeterProvider>();

    // A fresh export of every instrument; the SDK's own timer exports only once a minute.
    private void Flush(PresetClient api)
    {
        _metrics.Clear();
        Assert.True(api.Services.GetRequiredService<MeterProvider>().ForceFlush());
    }

    private List<(Dictionary<string, object?> Tags, MetricPoint Point)> Points(string instrument, string client, string clientTag = "resiliencepresets.client")
    {
        var points = new List<(Dictionary<string, object?>, MetricPoint)>();
        foreach (var metric in _metrics.Where(m => m.Name == instrument))
        {
            foreach (var point in metric.MetricPoints)
            {
                var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }

                if (Equals(tags.GetValueOrDefault(clientTag), client))
                {
                    points.Add((tags, point));
                }
            }
        }

        return points;
    }

    private long Sum(string instrument, string client) => Points(instrument, client).Sum(p => p.Point.GetSumLong());

    private Dictionary<string, long> BreakerStates(string client)
        => Points("resiliencepresets.circuit_breaker.state", client).ToDictionary(p => (string)p.Tags["resiliencepresets.state"]!, p => p.Point.GetGaugeLastValueLong());

    private static List<double> BucketBounds(MetricPoint point)
    {
        var bounds = new List<double>();
        foreach (var bucket in point.GetHistogramBuckets())
        {
            if (!double.IsPositiveInfinity(bucket.ExplicitBound))
            {
                bounds.Add(bucket.ExplicitBound);
            }
        }

        return bounds;
    }
}
