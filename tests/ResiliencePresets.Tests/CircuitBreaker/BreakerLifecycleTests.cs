using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.CircuitBreaker;

/// <summary>
/// The breaker of a real client from <see cref="IHttpClientFactory"/> against Kestrel on loopback, its time a
/// <see cref="FakeTimeProvider"/>: what opens it, what never does, the window, the break and the half-open probe.
/// </summary>
public sealed class BreakerLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Held> _held = new();
    private readonly Channel<Held> _arrivals = Channel.CreateUnbounded<Held>();
    private WebApplication _server = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.Run(HandleAsync);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var held in _held)
        {
            held.Release.TrySetResult(200);
        }

        await _server.DisposeAsync();
    }

    public static TheoryData<string, int, string?, string?, bool> Answers => new()
    {
        { "bare 500", 500, null, null, true },
        { "bare 502", 502, null, null, true },
        { "bare 503", 503, null, null, true },
        { "504", 504, null, null, true },
        { "500 with Retry-After", 500, "Retry-After", "1", true },
        { "404", 404, null, null, false },
        { "401", 401, null, null, false },
        { "bare 429", 429, null, null, false },
        { "429 with a wait beyond MaxRetryAfter", 429, "Retry-After", "3600", false },
        { "403 with a spent quota", 403, "X-RateLimit-Remaining", "0", false },
        { "403 with a wait", 403, "Retry-After", "5", false },
        { "503 with Retry-After", 503, "Retry-After", "1", false },
        { "503 with an unusable Retry-After", 503, "Retry-After", "soon", false },
        { "503 with a quota header", 503, "RateLimit-Reset", "1", false },
        { "503 with a spent quota and no reset", 503, "X-RateLimit-Remaining", "0", false },
        { "503 with a spent IETF quota and no reset", 503, "RateLimit-Remaining", "0.0", false },
        { "503 with a spent OpenAI quota and no reset", 503, "x-ratelimit-remaining-requests", "0", false },
        { "503 with quota left and no reset", 503, "X-RateLimit-Remaining", "5", true },
        { "nginx's own 503", 503, "reason", "Service Temporarily Unavailable", false },
        { "503 with another reason phrase", 503, "reason", "Service Unavailable", true },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task DependencyAnsweringEveryRequestSo_OpensTheBreakerOnlyForAnOutage(string scenario, int status, string? header, string? value, bool opens)
    {
        // A server's wait pauses the client (at most Retry:MaxRetryAfter, 30 s): each answer is followed by that much
        // time, within one sampling window and one break.
        using var api = Client(o => (o.CircuitBreaker.SamplingDuration, o.CircuitBreaker.BreakDuration) = (TimeSpan.FromHours(1), TimeSpan.FromHours(1)));
        var path = $"/status/{status}?name={Uri.EscapeDataString(header ?? "")}&value={Uri.EscapeDataString(value ?? "")}&id={Guid.NewGuid():N}";

        for (var i = 0; i < 2; i++)
        {
            using var response = await api.Client.GetAsync(path);
            Assert.Equal(status, (int)response.StatusCode);
            _time.Advance(TimeSpan.FromSeconds(31));
        }

        var refused = await BreakerProbe.SendUntilOpenAsync(api.Client, path, limit: 1);
        Assert.True(opens == refused is not null, scenario);
        Assert.Equal(opens ? 2 : 3, Calls(path));
    }

    [Fact]
    public async Task CallerCancellingRequestsInFlight_NeverOpensTheBreaker()
    {
        using var api = Client();
        for (var i = 0; i < 4; i++)
        {
            using var cancel = new CancellationTokenSource();
            var sending = api.Client.GetAsync("/hold", cancel.Token);
            var held = await NextHeldAsync();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
            held.Release.TrySetResult(200);
        }

        using var first = await api.Client.GetAsync("/status/200?id=after-cancels");
        using var second = await api.Client.GetAsync("/status/200?id=after-cancels");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, Calls("/status/200?id=after-cancels"));
    }

    [Fact]
    public async Task CallerTokenCancelledBeforeTheSend_NeverOpensTheBreaker()
    {
        using var api = Client();
        for (var i = 0; i < 4; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.Client.GetAsync("/status/500?id=never", new CancellationToken(canceled: true)));
        }

        using var response = await api.Client.GetAsync("/status/200?id=after-precancelled");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AttemptTimeouts_OpenTheBreaker()
    {
        using var api = Client(o => o.AttemptTimeout = TimeSpan.FromSeconds(2));
        for (var i = 0; i < 2; i++)
        {
            var sending = api.Client.GetAsync("/hold");
            var held = await NextHeldAsync();
            _time.Advance(TimeSpan.FromSeconds(2));
            await Assert.ThrowsAsync<TimeoutRejectedException>(() => sending);
            held.Release.TrySetResult(200);
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/status/200?id=after-timeouts"));
        Assert.Equal(0, Calls("/status/200?id=after-timeouts"));
    }

    [Fact]
    public async Task AttemptTheTotalTimeoutEnds_IsNotCountedAgainstTheDependency()
    {
        using var api = Client(o =>
        {
            (o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
            (o.Retry.MaxRetryAttempts, o.Retry.BaseDelay, o.Retry.MaxDelay) = (1, TimeSpan.Zero, TimeSpan.Zero);
            o.CircuitBreaker.FailureRatio = 0.6;
        });

        // The first attempt times out (a failure); the retry is cut short by the total timeout, which says nothing
        // about the dependency. Counted as a failure too, it would make two of two and open the breaker.
        var sending = api.Client.GetAsync("/hold");
        var first = await NextHeldAsync();
        _time.Advance(TimeSpan.FromSeconds(2));
        var second = await NextHeldAsync();
        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => sending);
        first.Release.TrySetResult(200);
        second.Release.TrySetResult(200);

        using var response = await api.Client.GetAsync("/status/200?id=after-total-timeout");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TransportFailures_OpenTheBreaker()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, ClosedPort.Url(), Configure(_ => { }), services: s => s.AddSingleton<TimeProvider>(_time));
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.GetAsync("/refused"));
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/refused"));
    }

    [Fact]
    public async Task FailuresInDifferentSamplingWindows_DoNotAddUp()
    {
        using var api = Client(o => o.CircuitBreaker.MinimumThroughput = 3);
        var path = "/status/500?id=windows";
        for (var i = 0; i < 2; i++)
        {
            using var failed = await api.Client.GetAsync(path);
        }

        _time.Advance(SamplingDuration);
        using var late = await api.Client.GetAsync(path);
        using var later = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.InternalServerError, later.StatusCode);
        Assert.Equal(4, Calls(path));
    }

    [Fact]
    public async Task FailureRatioBelowTheThreshold_KeepsTheBreakerClosed()
    {
        using var api = Client(o => o.CircuitBreaker.MinimumThroughput = 4);
        using (await api.Client.GetAsync("/status/200?id=ratio")) { }
        using (await api.Client.GetAsync("/status/200?id=ratio")) { }
        using (await api.Client.GetAsync("/status/200?id=ratio")) { }
        using (await api.Client.GetAsync("/status/500?id=ratio")) { }
        using (await api.Client.GetAsync("/status/500?id=ratio")) { }

        // Two failures of five attempts is 40 %, below the 50 % that opens it.
        using var response = await api.Client.GetAsync("/status/200?id=ratio");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // A third failure makes it 50 % of seven attempts: the ratio is reached, and the breaker opens.
        using (await api.Client.GetAsync("/status/500?id=ratio")) { }
        using (await api.Client.GetAsync("/status/500?id=ratio")) { }
        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/status/200?id=ratio"));
    }

    [Fact]
    public async Task OpenBreaker_RefusesWithoutTheNetworkUntilTheBreakEnds_ThenLetsExactlyOneProbeThrough()
    {
        using var api = Client();
        await OpenAsync(api);

        var refused = await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/status/200?id=probe"));
        Assert.Equal(BreakDuration, refused.RetryAfter);
        _time.Advance(BreakDuration - TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/status/200?id=probe"));
        Assert.Equal(0, Calls("/status/200?id=probe"));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        var probe = api.Client.GetAsync("/hold");
        var held = await NextHeldAsync();

        // While the probe is in flight every other request is refused at once, unsent.
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/status/200?id=probe"));
        }

        Assert.Equal(0, Calls("/status/200?id=probe"));
        Assert.Equal(1, Calls("/hold"));

        held.Release.TrySetResult(200);
        using (var answered = await probe)
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        using var closed = await api.Client.GetAsync("/status/200?id=probe");
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
    }

    [Fact]
    public async Task ProbeThatFails_OpensTheBreakerForAnotherBreak()
    {
        using var api = Client();
        await OpenAsync(api);
        _time.Advance(BreakDuration);

        using (var probe = await api.Client.GetAsync("/status/500?id=failed-probe"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, probe.StatusCode);
        }

        var refused = await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/status/200?id=after-failed-probe"));
        Assert.Equal(BreakDuration, refused.RetryAfter);
        Assert.Equal(0, Calls("/status/200?id=after-failed-probe"));
    }

    [Fact]
    public async Task ProbeAnsweredWithAStatusNeverRetried_ClosesTheBreaker()
    {
        using var api = Client();
        await OpenAsync(api);
        _time.Advance(BreakDuration);

        using (var probe = await api.Client.GetAsync("/status/404?id=closing-probe"))
        {
            Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode);
        }

        using var next = await api.Client.GetAsync("/status/200?id=after-closing-probe");
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task OpenBreaker_IsNotRetried()
    {
        using var api = Client(o => (o.Retry.MaxRetryAttempts, o.Retry.BaseDelay, o.Retry.MaxDelay) = (4, TimeSpan.Zero, TimeSpan.Zero));
        // A 500 is retried once (Retry(1)): one request makes two failed attempts and opens the breaker.
        using (var failed = await api.Client.GetAsync("/status/500?id=retried-open"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        var callsBefore = Calls("/status/500?id=retried-open");

        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/status/500?id=retried-open"));
        Assert.Equal(2, callsBefore);
        Assert.Equal(callsBefore, Calls("/status/500?id=retried-open"));
        Assert.DoesNotContain(api.Logs.Entries, e => e.EventId.Name == "RetryScheduled" && e.AllText.Contains("BrokenCircuitException", StringComparison.Ordinal));
    }

    private static async Task OpenAsync(PresetClient api)
    {
        for (var i = 0; i < 2; i++)
        {
            using var failed = await api.Client.GetAsync($"/status/500?id=open-{Guid.NewGuid():N}");
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync("/status/200?id=opened"));
    }

    private PresetClient Client(Action<ResiliencePresetOptions>? configure = null)
        => PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Urls.Single(), Configure(configure ?? (_ => { })), services: s => s.AddSingleton<TimeProvider>(_time));

    private static Action<ResiliencePresetOptions> Configure(Action<ResiliencePresetOptions> configure) => o =>
    {
        PresetClient.FastBackoff(o);
        o.Retry.MaxRetryAttempts = 0;
        o.RetryBudget.Enabled = false;
        o.RateLimit.Adaptive = false;
        o.CircuitBreaker.MinimumThroughput = 2;
        o.CircuitBreaker.SamplingDuration = SamplingDuration;
        o.CircuitBreaker.BreakDuration = BreakDuration;
        configure(o);
    };

    private int Calls(string pathAndQuery) => _calls.TryGetValue(pathAndQuery, out var calls) ? calls : 0;

    // Each request to /hold announces itself when it reached the server; the test takes them in order.
    private async Task<Held> NextHeldAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    private async Task HandleAsync(HttpContext context)
    {
        var key = context.Request.Path + context.Request.QueryString;
        _calls.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (context.Request.Path == "/hold")
        {
            var held = new Held();
            _held.Enqueue(held);
            _arrivals.Writer.TryWrite(held);
            using var aborted = context.RequestAborted.Register(() => held.Release.TrySetResult(0));
            var status = await held.Release.Task;
            if (status != 0)
            {
                context.Response.StatusCode = status;
            }

            return;
        }

        var code = int.Parse(context.Request.Path.Value!["/status/".Length..], System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = code;
        var (name, value) = (context.Request.Query["name"].ToString(), context.Request.Query["value"].ToString());
        if (name == "reason")
        {
            context.Features.Get<IHttpResponseFeature>()!.ReasonPhrase = value;
        }
        else if (name.Length > 0)
        {
            context.Response.Headers[name] = value;
        }
    }

    private sealed class Held
    {
        public TaskCompletionSource<int> Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
