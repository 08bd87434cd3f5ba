using System.Net;
using Polly;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.RateLimiting;

/// <summary>
/// A configured rate (<c>RateLimit:PermitsPerSecond</c>) with the pauses and the learned rate: an attempt that waited in
/// the configured bucket while a pause began waits it out (or is refused when it outlasts its time), one that waited
/// while the client began to throttle still waits for the learned rate before it is sent, and an attempt the learned
/// rate already metered is not metered twice. The learned rate runs on a fake clock; the
/// configured bucket (System.Threading.RateLimiting's token bucket) on its own timer, at 4 a second: each test changes
/// the client in the microseconds after its attempt joined the queue, far inside the 250 ms before the bucket lets it go.
/// </summary>
public sealed class ConfiguredBucketMeteringTests
{
    private static readonly TimeSpan Signal = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AttemptQueuedInTheConfiguredBucket_WhenThrottlingStarts_WaitsForTheLearnedRate()
    {
        using var harness = new Harness();
        var execution = await harness.SendIntoTheConfiguredQueue().WaitAsync(Signal);

        // The first rate signal comes while the attempt waits for the configured bucket; the learned rate's free
        // permit goes to another attempt, so the queued one has to wait for the next.
        harness.StartThrottling();
        Assert.True(harness.Client.Learner!.Limiter!.AttemptAcquire().IsAcquired);
        var learnedTimer = harness.Time.NextTimer(due => due > TimeSpan.Zero && due <= TimeSpan.FromSeconds(1));

        // Once the configured bucket lets it go, it joins the learned bucket (its timer) instead of the wire.
        await learnedTimer.WaitAsync(Signal);
        Assert.Equal(0, harness.Attempts);
        Assert.Equal(1, harness.Client.Learner.Limiter.Waiting);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var outcome = await execution.WaitAsync(Signal);

        Assert.Equal(HttpStatusCode.OK, outcome.Result!.StatusCode);
        Assert.Equal(1, harness.Attempts);
    }

    [Fact]
    public async Task AttemptTheLearnedRateMetered_ThenQueuedInTheConfiguredBucket_IsNotMeteredAgain()
    {
        using var harness = new Harness();
        harness.StartThrottling();

        // The pacing gives it the learned rate's free permit; the configured bucket then holds it for its own timer.
        var execution = await harness.SendIntoTheConfiguredQueue().WaitAsync(Signal);

        // The clock of the learned rate never moves: a second learned permit could never come.
        var outcome = await execution.WaitAsync(Signal);

        Assert.Equal(HttpStatusCode.OK, outcome.Result!.StatusCode);
        Assert.Equal(1, harness.Attempts);
        Assert.Equal(0, harness.Client.Learner!.Limiter!.Waiting);
    }

    [Fact]
    public async Task AttemptQueuedInTheConfiguredBucket_WhenAPauseBegins_WaitsItOut()
    {
        using var harness = new Harness(adaptive: false);
        var execution = await harness.SendIntoTheConfiguredQueue().WaitAsync(Signal);

        // The server's wait comes while the attempt waits for the configured bucket.
        var held = harness.Time.NextTimer(due => due >= TimeSpan.FromSeconds(2) && due <= TimeSpan.FromSeconds(3));
        harness.Pause(TimeSpan.FromSeconds(2));

        await held.WaitAsync(Signal);
        Assert.Equal(0, harness.Attempts);

        harness.Time.Advance(TimeSpan.FromSeconds(3));
        var outcome = await execution.WaitAsync(Signal);

        Assert.Equal(HttpStatusCode.OK, outcome.Result!.StatusCode);
        Assert.Equal(1, harness.Attempts);
    }

    [Fact]
    public async Task AttemptQueuedInTheConfiguredBucket_WhenAPauseBeginsThatOutlastsItsTime_IsRefusedAtOnce()
    {
        using var harness = new Harness(adaptive: false);
        var execution = await harness.SendIntoTheConfiguredQueue().WaitAsync(Signal);

        harness.Pause(TimeSpan.FromMinutes(5));
        var outcome = await execution.WaitAsync(Signal);

        Assert.IsType<ClientPausedException>(outcome.Exception);
        Assert.Equal(0, harness.Attempts);
    }

    private sealed class Harness : IDisposable
    {
        private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
        private readonly PresetMetrics _metrics = new();
        private readonly CompiledPreset _preset;
        private int _attempts;

        public Harness(bool adaptive = true)
        {
            var options = BuiltInPresets.Create(ResiliencePresetNames.ReadOnlyApi);
            options.RateLimit.PermitsPerSecond = 4;
            options.RateLimit.Adaptive = adaptive;
            _preset = new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, "metered", options);
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
            PresetPipelineBuilder.Build(builder, _preset, new PipelineServices(Client, Time, new CapturedLogs().CreateLogger("ResiliencePresets"), _metrics, () => 0.5));
            _pipeline = builder.Build();
        }

        public TimerRecordingTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

        public ClientRuntime Client { get; } = new();

        public int Attempts => Volatile.Read(ref _attempts);

        private System.Threading.RateLimiting.RateLimiter Configured => Client.Limiter(_preset)!.Limiter;

        /// <summary>
        /// Spends the configured bucket's one token and sends a request, whose attempt then waits in the bucket's queue
        /// for the next; returns the request's execution once the attempt is queued.
        /// </summary>
        public async Task<Task<Outcome<HttpResponseMessage>>> SendIntoTheConfiguredQueue()
        {
            Assert.True(Configured.AttemptAcquire().IsAcquired);
            var execution = Send();
            while (Configured.GetStatistics()!.CurrentQueuedCount < 1)
            {
                await Task.Yield();
            }

            return execution;
        }

        /// <summary>A server's wait for the request's host, from now.</summary>
        public void Pause(TimeSpan wait) => Client.Scopes.Learn(new Uri("https://api.test/items"), null).Pause.Extend(Time.GetUtcNow(), wait);

        /// <summary>The client's first rate signal: a 429 that names no wait, from an attempt sent before it throttled.</summary>
        public void StartThrottling()
        {
            using var refused = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            var verdict = new AttemptInspector(StatusCodeClassifier.Default, Time).Inspect(Outcome.FromResult(refused));
            Assert.Equal(ThrottlingChange.Started, Client.Learner!.Observe(verdict, DateTimeOffset.MinValue, () => 20));
        }

        public Task<Outcome<HttpResponseMessage>> Send()
        {
            var context = ResilienceContextPool.Shared.Get();
            context.SetRequestMessage(new HttpRequestMessage(HttpMethod.Get, "https://api.test/items"));
            return Run();

            async Task<Outcome<HttpResponseMessage>> Run()
            {
                var outcome = await Client.ExecuteRequestAsync(
                    _pipeline,
                    (_, _) =>
                    {
                        Interlocked.Increment(ref _attempts);
                        return ValueTask.FromResult(Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
                    },
                    context,
                    0,
                    Time);
                ResilienceContextPool.Shared.Return(context);
                return outcome;
            }
        }

        public void Dispose() => _metrics.Dispose();
    }
}
