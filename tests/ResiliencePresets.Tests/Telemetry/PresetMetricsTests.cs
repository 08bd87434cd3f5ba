using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Telemetry;

/// <summary>
/// The counters on the <c>ResiliencePresets</c> meter, as an OpenTelemetry exporter would read them.
/// </summary>
public sealed class PresetMetricsTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public PresetMetricsTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task RetriedRequest_CountsTheRequestTheRetriesAndTheirWaits()
    {
        const string Client = "metrics-retries";
        var path = _server.Respond("/metrics/retries", Status(503), Status(429, ("retry-after-ms", "5")), Status(200));
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, clientName: Client);

        using var response = await api.Client.GetAsync(path);

        var request = Assert.Single(metrics.For("resiliencepresets.requests", Client));
        Assert.Equal(ResiliencePresetNames.ReadOnlyApi, request.Tag("resiliencepresets.preset"));
        var retries = metrics.For("resiliencepresets.retries", Client);
        Assert.Equal([503, 429], retries.Select(r => r.Tag("http.response.status_code")));
        Assert.All(retries, r => Assert.Equal("status", r.Tag("resiliencepresets.reason")));
        Assert.Equal(["backoff", "header"], metrics.For("resiliencepresets.retry.delay", Client).Select(d => d.Tag("resiliencepresets.source")));
    }

    // Regression: a 403 read as a rate limit was tagged http.response.status_code 429 (the code the status table was
    // asked with), while its error.type, its pause and HttpClient's own span said 403.
    [Fact]
    public async Task RetryOfRateLimited403_IsTaggedWithTheStatusTheServerSent()
    {
        const string Client = "metrics-403";
        var path = _server.Respond("/metrics/403", Status(403, ("X-RateLimit-Remaining", "0"), ("retry-after-ms", "5")), Status(200));
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, clientName: Client);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
        var retry = Assert.Single(metrics.For("resiliencepresets.retries", Client));
        Assert.Equal(403, retry.Tag("http.response.status_code"));
        Assert.Equal("403", retry.Tag("error.type"));
        Assert.Equal("status", retry.Tag("resiliencepresets.reason"));
        Assert.All(metrics.For("resiliencepresets.client.pauses", Client), p => Assert.Equal(403, p.Tag("http.response.status_code")));
    }

    [Fact]
    public async Task RetryAfterTransportFailure_IsCountedAsAnException()
    {
        const string Client = "metrics-exception";
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, ClosedPort.Url(), o =>
        {
            PresetClient.FastBackoff(o);
            o.Retry.MaxRetryAttempts = 1;
        }, clientName: Client);

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.GetAsync("/"));

        var retry = Assert.Single(metrics.For("resiliencepresets.retries", Client));
        Assert.Equal("exception", retry.Tag("resiliencepresets.reason"));
        Assert.Equal("connection_error", retry.Tag("error.type"));
    }

    [Fact]
    public async Task RetryAfterAttemptTimeout_IsCountedAsATimeout()
    {
        const string Client = "metrics-timeout";
        var path = _server.RespondSlowOnce("/metrics/timeout", TimeSpan.FromSeconds(3));
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.AttemptTimeout = TimeSpan.FromMilliseconds(300);
        }, clientName: Client);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
        var retry = Assert.Single(metrics.For("resiliencepresets.retries", Client));
        Assert.Equal("timeout", retry.Tag("resiliencepresets.reason"));
        Assert.Equal("timeout", retry.Tag("error.type"));
        Assert.DoesNotContain(retry.Tags, t => t.Key == "http.response.status_code");
        Assert.Equal("backoff", Assert.Single(metrics.For("resiliencepresets.retry.delay", Client)).Tag("resiliencepresets.source"));
        Assert.Single(metrics.For("resiliencepresets.requests", Client));
    }

    [Fact]
    public async Task SlowReadHedgedOnce_CountsOneHedgeAndOneRequest()
    {
        const string Client = "metrics-hedged";
        var path = _server.RespondSlowOnce("/metrics/hedged", TimeSpan.FromMilliseconds(400));
        using var metrics = new MetricRecorder("ResiliencePresets", "Polly");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Hedging.Enabled = true;
            o.Hedging.Percentile = 0;
            o.Hedging.Delay = TimeSpan.FromMilliseconds(20);
        }, clientName: Client);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
        var hedge = Assert.Single(metrics.For("resiliencepresets.hedges", Client));
        Assert.Equal(ResiliencePresetNames.ReadOnlyApi, hedge.Tag("resiliencepresets.preset"));
        Assert.Single(metrics.For("resiliencepresets.requests", Client));
        Assert.Empty(metrics.For("resiliencepresets.retries", Client));
        Assert.Equal(["Hedging"], PollyEvents(metrics, Client, "OnHedging"));
    }

    [Fact]
    public async Task BudgetRefusalPauseAndBreaker_AreCounted()
    {
        const string Client = "metrics-protection";
        var path = _server.Respond("/metrics/protection", Status(503, ("retry-after-ms", "5")), Status(503), Status(503));
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.RetryBudget.MinRetries = 1;
            o.RetryBudget.MaxRetryRatio = 0;

            // The metered 503 neither counts for the breaker nor takes the budget's one retry: the second 503 takes it,
            // the third is refused by the budget and opens the breaker (2 failures in 3 attempts).
            o.CircuitBreaker.MinimumThroughput = 3;
        }, clientName: Client);

        using var response = await api.Client.GetAsync(path);

        Assert.Single(metrics.For("resiliencepresets.retry_budget.refusals", Client));
        Assert.Equal(3, _server.Calls(path));
        Assert.Equal(503, Assert.Single(metrics.For("resiliencepresets.client.pauses", Client)).Tag("http.response.status_code"));
        Assert.Equal("open", Assert.Single(metrics.For("resiliencepresets.circuit_breaker.transitions", Client)).Tag("resiliencepresets.state"));
    }

    [Fact]
    public async Task BreakerOpenedThenProbedSuccessfully_CountsEachTransition_AsPollyReportsThem()
    {
        const string Client = "metrics-transitions";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var path = _server.Respond("/metrics/transitions", Status(503), Status(503), Status(200));
        using var metrics = new MetricRecorder("ResiliencePresets", "Polly");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
        }, clientName: Client, services: s => s.AddSingleton<TimeProvider>(time));

        (await api.Client.GetAsync(path)).Dispose();
        (await api.Client.GetAsync(path)).Dispose();
        time.Advance(TimeSpan.FromSeconds(5));
        using var probe = await api.Client.GetAsync(path);

        Assert.Equal(200, (int)probe.StatusCode);
        Assert.Equal(["open", "half_open", "closed"], metrics.For("resiliencepresets.circuit_breaker.transitions", Client).Select(t => t.Tag("resiliencepresets.state")));
        Assert.Equal(["CircuitBreaker"], PollyEvents(metrics, Client, "OnCircuitOpened"));
        Assert.Equal(["CircuitBreaker"], PollyEvents(metrics, Client, "OnCircuitHalfOpened"));
        Assert.Equal(["CircuitBreaker"], PollyEvents(metrics, Client, "OnCircuitClosed"));
    }

    [Fact]
    public async Task AttemptWaitingForTheLearnedRate_IsCountedAsThrottled()
    {
        const string Client = "metrics-learned-queue";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var ok = _server.Respond("/metrics/learned-queue/ok", Status(200));
        var limited = _server.Respond("/metrics/learned-queue/429", Status(429));
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;

            // The clock is moved while the first request is on the wire: no timeout of its may end on the way.
            o.AttemptTimeout = o.TotalTimeout = TimeSpan.FromHours(1);
        }, clientName: Client, services: s => s.AddSingleton<TimeProvider>(time));
        (await api.Client.GetAsync(ok)).Dispose();
        (await api.Client.GetAsync(limited)).Dispose();
        var before = metrics.For("resiliencepresets.rate_limiter.throttled", Client).Count;

        // The learned bucket has one permit: the first request takes it, the second waits for the next.
        var first = api.Client.GetAsync(ok);
        var second = api.Client.GetAsync(ok);
        var queued = metrics.For("resiliencepresets.rate_limiter.throttled", Client).Count;

        // Far more than one interval of the slowest learned rate (RateLearner.MinRate).
        time.Advance(TimeSpan.FromSeconds(10));
        (await first.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();

        Assert.Equal((0, 1), (before, queued));
        Assert.Single(metrics.For("resiliencepresets.rate_limiter.throttled", Client));
        Assert.Equal(3, _server.Calls(ok));
    }

    // Regression: an attempt the full queue rejected was also counted as throttled, as if it had queued for a permit.
    [Fact]
    public async Task AttemptRejectedByAFullQueue_IsARejectionAndAWarning_NotAThrottledAttempt()
    {
        const string Client = "metrics-rejected";
        var path = _server.Respond("/metrics/rejected", Status(200));
        using var metrics = new MetricRecorder("ResiliencePresets", "Polly");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;

            // One permit a minute: the first request takes the only one, and no queue holds the second.
            o.RateLimit.PermitsPerMinute = 1;
            o.RateLimit.Burst = 1;
            o.RateLimit.QueueLimit = 0;
        }, clientName: Client);

        (await api.Client.GetAsync(path)).Dispose();
        await Assert.ThrowsAsync<Polly.RateLimiting.RateLimiterRejectedException>(() => api.Client.GetAsync(path));

        Assert.Equal(1, _server.Calls(path));
        Assert.Single(metrics.For("resiliencepresets.rate_limiter.rejections", Client));
        Assert.Empty(metrics.For("resiliencepresets.rate_limiter.throttled", Client));
        var warning = Assert.Single(api.Logs.Entries, e => e.Category == "ResiliencePresets" && e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Equal(("RateLimitRejected", 5, Microsoft.Extensions.Logging.LogLevel.Warning), (warning.EventId.Name, warning.EventId.Id, warning.Level));
        Assert.Equal(["RateLimiter"], PollyEvents(metrics, Client, "OnRateLimiterRejected"));
    }

    // The docs promise the meter comes from the container's IMeterFactory (so AddMeter is all OpenTelemetry needs, and a
    // test's MetricCollector sees one provider's measurements only), also when no AddHttpClient registered the factory.
    [Fact]
    public void Meter_IsCreatedThroughTheContainersMeterFactory()
    {
        var services = new ServiceCollection();
        services.AddResiliencePresets(new ConfigurationBuilder().Build().GetSection("ResiliencePresets"));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetService<IMeterFactory>();
        var scoped = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "ResiliencePresets" && instrument.Meter.Scope is not null && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    scoped.Add(instrument.Name);
                }
            },
        };
        listener.Start();

        provider.GetRequiredService<PresetMetrics>();

        Assert.NotNull(factory);
        Assert.Contains("resiliencepresets.requests", scoped);
        Assert.Contains("resiliencepresets.client.pause.remaining", scoped);
    }

    // docs/observability.md's table of the meter's instruments is the one list of their names, kinds and units.
    [Fact]
    public void Instruments_AreThoseOfTheDocsTable_WithTheirKindAndUnit()
    {
        var text = File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot(), "docs", "observability.md"));
        var table = text[text.IndexOf("### The `ResiliencePresets` meter", StringComparison.Ordinal)..];
        table = table[table.IndexOf("| Instrument", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        var documented = table.Split('\n').Skip(2).Select(l => l.Trim('|').Split('|').Select(c => c.Replace("`", string.Empty, StringComparison.Ordinal).Trim()).ToArray())
            .Select(c => $"{c[0]}: {c[1]}").Order(StringComparer.Ordinal).ToList();
        var services = new ServiceCollection();
        services.AddResiliencePresets(new ConfigurationBuilder().Build().GetSection("ResiliencePresets"));
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var published = new List<string>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == "ResiliencePresets")
                {
                    var kind = instrument switch
                    {
                        Counter<long> => "counter",
                        Histogram<double> => "histogram",
                        ObservableGauge<int> or ObservableGauge<double> => "gauge",
                        _ => instrument.GetType().Name,
                    };
                    published.Add($"{instrument.Name}: {kind}, {instrument.Unit}");
                }
            },
        };
        listener.Start();

        provider.GetRequiredService<PresetMetrics>();

        Assert.Equal(documented, published.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Measurements_CarryNoUrlOrHeaderValue()
    {
        const string Client = "metrics-secrets";
        var path = _server.Respond("/metrics/secret-path", Status(503), Status(200));
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, clientName: Client);
        using var request = new HttpRequestMessage(HttpMethod.Get, path + "?token=s3cr3t-query");
        request.Headers.Add("Authorization", "Bearer s3cr3t-header");

        using var response = await api.Client.SendAsync(request);

        var tagValues = metrics.Measurements.SelectMany(m => m.Tags).Select(t => t.Value?.ToString() ?? string.Empty).ToList();
        Assert.NotEmpty(metrics.For("resiliencepresets.retries", Client));
        Assert.DoesNotContain(tagValues, v => v.Contains("s3cr3t", StringComparison.Ordinal) || v.Contains("secret-path", StringComparison.Ordinal));
    }

    // The strategy.name of each of Polly's events of one name about the client's pipeline.
    private static List<object?> PollyEvents(MetricRecorder metrics, string client, string eventName)
        => [.. metrics.Measurements
            .Where(m => m.Instrument == "resilience.polly.strategy.events" && Equals(m.Tag("pipeline.instance"), client) && Equals(m.Tag("event.name"), eventName))
            .Select(m => m.Tag("strategy.name"))];
}
