using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Tests.TestSupport;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.RateLimiting;

/// <summary>
/// A client that learns its server's rate, end to end through <see cref="IHttpClientFactory"/>: a rate signal never
/// opens the breaker and is never refused by the retry budget, an outage still opens the breaker, and a retry waits in
/// its request's arrival order.
/// </summary>
public sealed class LearnedRateTests : IClassFixture<FlakyServer>
{
    private const int WarmUp = 20;
    private readonly FlakyServer _server;

    public LearnedRateTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData(false, 20)]
    [InlineData(true, 5)]
    public async Task BareTooManyRequests_NeverOpenTheBreaker(bool adaptive, int requests)
    {
        var path = _server.Respond($"/learned/bare-429/{adaptive}", Status(429));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.RateLimit.Adaptive = adaptive;
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
        });
        await WarmUpAsync(api);

        for (var i = 0; i < requests; i++)
        {
            using var response = await api.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        Assert.Equal(requests, _server.Calls(path));
        Assert.Equal(adaptive, api.Logs.Entries.Any(e => e.EventId.Name == "ThrottlingStarted" && e.Message.Contains("429 response with no wait or quota header", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task DependencyAnsweringEveryRequestWithABare503_StillOpensTheBreaker()
    {
        var path = _server.Respond("/learned/outage", Status(503));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAttempts = 0);

        var opened = await BreakerProbe.SendUntilOpenAsync(api.Client, path);

        // The default breaker: 20 attempts, half of them failures.
        Assert.NotNull(opened);
        Assert.Equal(20, _server.Calls(path));
        Assert.DoesNotContain(api.Logs.Entries, e => e.EventId.Name == "ThrottlingStarted");
    }

    // Regression: a bare 503 was a rate signal while the server answered the client's other attempts, so a dependency
    // failing every first attempt with a bare 503 and answering every retry was read as a limiter, and the client was
    // paced down to the learner's floor (about one request every 2 s), where it stayed.
    [Fact]
    public async Task FlakyDependencyWhoseRetriesSucceed_IsNeverPaced()
    {
        var path = "/learned/flaky-503";
        var calls = 0;
        _server.Server.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithCallback(_ =>
            new WireMock.ResponseMessage { StatusCode = Interlocked.Increment(ref calls) % 2 == 1 ? 503 : 200 }));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.CircuitBreaker.Enabled = false;
        });

        for (var i = 0; i < 10; i++)
        {
            using var response = await api.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(20, Volatile.Read(ref calls));
        Assert.DoesNotContain(api.Logs.Entries, e => e.EventId.Name == "ThrottlingStarted");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RetriesOfRateSignals_AreNotRefusedByTheRetryBudgetOnceTheClientThrottles(bool adaptive)
    {
        var path = $"/learned/budget/{adaptive}";
        var calls = 0;
        _server.Server.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithCallback(_ =>
            new WireMock.ResponseMessage { StatusCode = Interlocked.Increment(ref calls) <= 5 ? 429 : 200 }));
        using var metrics = new MetricRecorder("ResiliencePresets");
        var client = $"learned-budget-{adaptive}";
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.RateLimit.Adaptive = adaptive;
            o.RetryBudget.MinRetries = 0;
            o.RetryBudget.MaxRetryRatio = 0;
        }, clientName: client);
        await WarmUpAsync(api);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.Client.GetAsync(path)));

        var statuses = responses.Select(r => r.StatusCode).ToList();
        Array.ForEach(responses, r => r.Dispose());
        if (adaptive)
        {
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
            Assert.Empty(metrics.For("resiliencepresets.retry_budget.refusals", client));
        }
        else
        {
            // Today's behavior without learning: nothing meters a bare 429, so the budget refuses its retries.
            Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
            Assert.NotEmpty(metrics.For("resiliencepresets.retry_budget.refusals", client));
        }
    }

    // A request whose retries the learned rate meters is bounded by TotalTimeout, not by Retry:MaxRetryAttempts: a
    // server that refuses it more often than the attempts allow while it paces the client still answers it in the end.
    // Retries of anything else (a 500) still stop at the cap.
    [Theory]
    [InlineData(429, HttpStatusCode.OK, 5)]
    [InlineData(500, HttpStatusCode.InternalServerError, 2)]
    public async Task MeteredRetries_DoNotCountAgainstMaxRetryAttempts_OthersDo(int status, HttpStatusCode expected, int expectedCalls)
    {
        var path = $"/learned/metered-cap/{status}";
        var calls = 0;
        _server.Server.Given(Request.Create().WithPath(path)).RespondWith(Response.Create().WithCallback(_ =>
            new WireMock.ResponseMessage { StatusCode = Interlocked.Increment(ref calls) <= 4 ? status : 200 }));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.Retry.MaxRetryAttempts = 1;
        }, clientName: $"metered-cap-{status}");
        await WarmUpAsync(api);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expectedCalls, Volatile.Read(ref calls));
    }

    [Fact]
    public async Task RetryAfterAPause_IsNotOvertakenByNewerRequests()
    {
        var engage = _server.Respond("/learned/fifo/engage", Status(429, ("Retry-After", "1")), Status(200));
        var retried = _server.Respond("/learned/fifo/retried", Status(429, ("Retry-After", "1")), Status(200));
        var newer = Enumerable.Range(0, 3).Select(i => _server.Respond($"/learned/fifo/newer/{i}", Status(200))).ToList();
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            // A ceiling keeps the learned interval long (about 0.36 s), so the newer requests are still queued when the
            // retried request's 429 arrives.
            o.RateLimit.PermitsPerSecond = 4;
            o.RateLimit.Burst = 100;
        });
        await WarmUpAsync(api);
        using (var first = await api.Client.GetAsync(engage))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var retrying = api.Client.GetAsync(retried);
        var later = newer.Select(p => api.Client.GetAsync(p)).ToList();
        using var response = await retrying;
        foreach (var request in later)
        {
            (await request).Dispose();
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var retryArrived = _server.Requests(retried)[1].RequestMessage.DateTime;
        foreach (var path in newer)
        {
            var arrived = Assert.Single(_server.Requests(path)).RequestMessage.DateTime;
            Assert.True(arrived >= retryArrived, $"{path} arrived at {arrived:O}, before the retry at {retryArrived:O}");
        }

        // Released at the learned rate after the pause, not all at once.
        var arrivals = newer.Select(p => _server.Requests(p).Single().RequestMessage.DateTime).Order().ToList();
        Assert.True(arrivals[^1] - arrivals[0] >= TimeSpan.FromMilliseconds(400), $"arrivals {string.Join(", ", arrivals.Select(a => a.ToString("O")))}");
    }

    // Regression: throttling stopped only at the first success after the quiet period, so a client left idle kept its
    // learned-rate gauge and logged no ThrottlingStopped until its next request.
    [Fact]
    public async Task QuietPeriodWithoutASignal_StopsThrottlingAtItsEnd_LoggingStartAndStopOnce()
    {
        const string Client = "learned-quiet";
        const string Gauge = "resiliencepresets.client.learned_rate";
        var time = new TimerRecordingTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var path = _server.Respond("/learned/quiet", Status(429, ("retry-after-ms", "1234")), Status(200));
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAttempts = 0, clientName: Client, services: s => s.AddSingleton<TimeProvider>(time));

        using (var refused = await api.Client.GetAsync(path))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        }

        metrics.RecordObservable();
        var whileThrottling = metrics.For(Gauge, Client).Count;
        time.Advance(RateLearner.QuietPeriod);
        metrics.RecordObservable();
        var afterQuiet = metrics.For(Gauge, Client).Count;

        // Unpaced again: sent at once, the fake clock standing still.
        using var next = await api.Client.GetAsync(path).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal((1, 1), (whileThrottling, afterQuiet));
        var started = Assert.Single(api.Logs.Entries, e => e.EventId.Name == "ThrottlingStarted");
        var stopped = Assert.Single(api.Logs.Entries, e => e.EventId.Name == "ThrottlingStopped");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, started.Level);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, stopped.Level);
        Assert.Contains("taught by a 429 response with retry-after-ms.", started.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1234", started.Message, StringComparison.Ordinal);
        Assert.Contains("no rate signal for 00:01:00", stopped.Message, StringComparison.Ordinal);
    }

    // Twenty quick requests give the client's estimate of its own rate (its retry budget's count) at least 10 a second.
    private async Task WarmUpAsync(PresetClient api)
    {
        var path = _server.Respond("/learned/warm-up", Status(200));
        for (var i = 0; i < WarmUp; i++)
        {
            using var response = await api.Client.GetAsync(path);
        }
    }
}
