using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Health;

/// <summary>
/// <c>AddHealthChecks().AddResiliencePresets()</c>, read through <see cref="HealthCheckService"/> as ASP.NET Core's health
/// endpoint reads it, while real requests open a client's breaker or get it paused by its server.
/// </summary>
public sealed class ResiliencePresetsHealthCheckTests : IClassFixture<FlakyServer>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly FlakyServer _server;
    private readonly FakeTimeProvider _time = new(Start);

    public ResiliencePresetsHealthCheckTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task OpenBreaker_IsDegradedWithTheClientAndUntilWhen_AndHealthyOnceAProbeSucceeds()
    {
        var path = _server.Respond("/health/breaker", Status(503), Status(503), Status(200));
        using var host = Host("health-breaker");
        var client = host.Client("health-breaker");

        (await client.GetAsync(path)).Dispose();
        (await client.GetAsync(path)).Dispose();
        var open = await Check(host);
        await Assert.ThrowsAsync<BrokenCircuitException>(() => client.GetAsync(path));
        _time.Advance(TimeSpan.FromSeconds(30));
        var breakOver = await Check(host);
        (await client.GetAsync(path)).Dispose();
        var closed = await Check(host);

        Assert.Equal(HealthStatus.Degraded, open.Status);
        Assert.Equal("health-breaker: circuit breaker open until 2026-12-02T09:00:30.000Z.", open.Description);
        Assert.Equal("open", open.Data["health-breaker:circuit_breaker"]);
        Assert.Equal(Start.AddSeconds(30), open.Data["health-breaker:circuit_breaker_open_until"]);
        Assert.Equal(HealthStatus.Healthy, breakOver.Status);
        Assert.Equal("half_open", breakOver.Data["health-breaker:circuit_breaker"]);
        Assert.Equal(HealthStatus.Healthy, closed.Status);
        Assert.Equal("1 client with a preset accepts requests.", closed.Description);
        Assert.Equal("closed", closed.Data["health-breaker:circuit_breaker"]);
        Assert.False(closed.Data.ContainsKey("health-breaker:circuit_breaker_open_until"));
        Assert.Equal(3, _server.Calls(path));
    }

    [Fact]
    public async Task ServerPause_IsDegradedUntilTheServersWaitIsOver()
    {
        var path = _server.Respond("/health/pause", Status(429, ("Retry-After", "20")));
        using var host = Host("health-pause");

        using var response = await host.Client("health-pause").GetAsync(path + "?api_key=s3cr3t");
        var paused = await Check(host);
        _time.Advance(TimeSpan.FromSeconds(19));
        var stillPaused = await Check(host);
        _time.Advance(TimeSpan.FromSeconds(1));
        var over = await Check(host);

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(HealthStatus.Degraded, paused.Status);
        Assert.Equal("health-pause: paused by its server until 2026-12-02T09:00:20.000Z.", paused.Description);
        Assert.Equal(Start.AddSeconds(20), paused.Data["health-pause:paused_until"]);
        Assert.Equal("closed", paused.Data["health-pause:circuit_breaker"]);
        Assert.DoesNotContain(paused.Data.Keys.Concat(paused.Data.Values.Select(v => $"{v}")), v => v.Contains("s3cr3t", StringComparison.Ordinal) || v.Contains("/health", StringComparison.Ordinal));
        Assert.Equal(HealthStatus.Degraded, stillPaused.Status);
        Assert.Equal(HealthStatus.Healthy, over.Status);
        Assert.False(over.Data.ContainsKey("health-pause:paused_until"));
    }

    [Fact]
    public async Task ServerWaitLongerThanMaxRetryAfter_IsReportedPausedUntilTheCap()
    {
        var path = _server.Respond("/health/long-wait", Status(503, ("Retry-After", "120")));
        using var host = Host("health-long-wait");

        using var response = await host.Client("health-long-wait").GetAsync(path);
        var paused = await Check(host);
        _time.Advance(TimeSpan.FromSeconds(30));
        var over = await Check(host);

        // Retry:MaxRetryAfter is 30 s by default: the server's 120 s are held for 30.
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("health-long-wait: paused by its server until 2026-12-02T09:00:30.000Z.", paused.Description);
        Assert.Equal(Start.AddSeconds(30), paused.Data["health-long-wait:paused_until"]);
        Assert.Equal(HealthStatus.Healthy, over.Status);
    }

    [Fact]
    public async Task SeveralClients_OnlyTheHeldOnesAreNamed()
    {
        var paused = _server.Respond("/health/several/paused", Status(503, ("Retry-After", "10")));
        var fine = _server.Respond("/health/several/fine", Status(200));
        using var host = Host("health-a", "health-b", "health-c");

        (await host.Client("health-a").GetAsync(fine)).Dispose();
        (await host.Client("health-b").GetAsync(paused)).Dispose();
        (await host.Client("health-c").GetAsync(paused)).Dispose();
        var report = await Check(host);

        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal("health-b: paused by its server until 2026-12-02T09:00:10.000Z; health-c: paused by its server until 2026-12-02T09:00:10.000Z.", report.Description);
        Assert.Equal(["health-a:circuit_breaker", "health-b:circuit_breaker", "health-b:paused_until", "health-c:circuit_breaker", "health-c:paused_until"], report.Data.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConfigurationReload_ReportsTheBreakerOfTheRebuiltPipeline()
    {
        var path = _server.Respond("/health/reload", Status(503), Status(503), Status(200));
        using var host = Host("health-reload");
        var client = host.Client("health-reload");
        (await client.GetAsync(path)).Dispose();
        (await client.GetAsync(path)).Dispose();
        var open = await Check(host);

        host.Change("ResiliencePresets:Clients:health-reload:CircuitBreaker:BreakDuration", "00:01:00");
        using var response = await client.GetAsync(path);
        var rebuilt = await Check(host);

        Assert.Equal(HealthStatus.Degraded, open.Status);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(HealthStatus.Healthy, rebuilt.Status);
        Assert.Equal("closed", rebuilt.Data["health-reload:circuit_breaker"]);
    }

    [Fact]
    public async Task FailureStatusAndTags_AreTheRegistrations()
    {
        var path = _server.Respond("/health/unhealthy", Status(429, ("Retry-After", "5")));
        using var host = Host(health => health.AddResiliencePresets("outbound", HealthStatus.Unhealthy, ["ready"]), "health-unhealthy");

        (await host.Client("health-unhealthy").GetAsync(path)).Dispose();
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"));

        var entry = Assert.Single(report.Entries);
        Assert.Equal("outbound", entry.Key);
        Assert.Equal(HealthStatus.Unhealthy, entry.Value.Status);
    }

    [Fact]
    public async Task NoClientHasSentYet_IsHealthy()
    {
        using var host = Host("health-idle");

        var report = await Check(host);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("0 clients with a preset accept requests.", report.Description);
        Assert.Empty(report.Data);
    }

    [Fact]
    public async Task ClientWithoutABreaker_IsReportedWithoutBreakerData()
    {
        var path = _server.Respond("/health/no-breaker", Status(200));
        using var host = Host("health-no-breaker");
        host.Change("ResiliencePresets:Clients:health-no-breaker:CircuitBreaker:Enabled", "false");

        (await host.Client("health-no-breaker").GetAsync(path)).Dispose();
        var report = await Check(host);

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal("1 client with a preset accepts requests.", report.Description);
        Assert.Empty(report.Data);
    }

    // Regression: a client was reported (its breaker "closed", counted as accepting) from the moment its HttpClient was
    // created, before it had sent anything.
    [Fact]
    public async Task ClientCreatedButNotUsed_IsNotReportedUntilItsFirstRequest()
    {
        var path = _server.Respond("/health/unused", Status(200));
        using var host = Host("health-unused");
        var client = host.Client("health-unused");

        var created = await Check(host);
        (await client.GetAsync(path)).Dispose();
        var used = await Check(host);

        Assert.Equal("0 clients with a preset accept requests.", created.Description);
        Assert.Empty(created.Data);
        Assert.Equal("1 client with a preset accepts requests.", used.Description);
        Assert.Equal("closed", used.Data["health-unused:circuit_breaker"]);
    }

    // No retries, so that every response reaches the caller at once; a small breaker: two failures in two attempts open it for 30 s.
    private PresetHost Host(params string[] clients) => Host(health => health.AddResiliencePresets(), clients);

    private PresetHost Host(Action<IHealthChecksBuilder> health, params string[] clients) => PresetHost.Create("""
        { "ResiliencePresets": { "Presets": { "ReadOnlyApi": {
            "Retry": { "MaxRetryAttempts": 0 },
            "CircuitBreaker": { "MinimumThroughput": 2, "BreakDuration": "00:00:30" } } } } }
        """, _server.Url, (services, url) =>
    {
        services.AddSingleton<TimeProvider>(_time);
        health(services.AddHealthChecks());
        foreach (var client in clients)
        {
            services.AddHttpClient(client, c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        }
    });

    private static async Task<HealthReportEntry> Check(PresetHost host)
        => (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["resiliencepresets"];
}
