using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Hedging;

/// <summary>
/// The hedging strategy inside a preset's pipeline, on a fake clock: when a hedge starts, what it passes through, and
/// what becomes of the attempt that loses.
/// </summary>
public sealed class HedgingPipelineTests
{
    private static readonly TimeSpan HedgeDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Signal = TimeSpan.FromSeconds(10);

    // Time for a hedge that should not start to show itself if it did; the assertions hold however long this is.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task SlowAttempt_IsHedgedAfterTheDelay_TheFirstAnswerWins_AndTheLoserIsCancelledAndDisposed()
    {
        using var harness = new Harness();
        var primary = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var primaryCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var late = new TrackedResponse();
        var hedgeTimer = harness.Time.NextTimer(due => due == HedgeDelay);
        var execution = harness.Send((n, _, token) =>
        {
            if (n == 1)
            {
                token.Register(() => primaryCancelled.TrySetResult());
                return primary.Task;
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = "hedge" });
        });
        await harness.Started(1);

        // The hedge waits for a timer due at the delay, so it cannot start before it.
        Assert.Equal(HedgeDelay, await hedgeTimer.WaitAsync(Signal));
        Assert.Equal(1, harness.Attempts);

        harness.Time.Advance(HedgeDelay);
        await harness.Started(2);
        await primaryCancelled.Task.WaitAsync(Signal);
        primary.SetResult(late);
        var outcome = await execution.WaitAsync(Signal);

        Assert.Equal("hedge", outcome.Result!.ReasonPhrase);
        Assert.True(late.Disposed);
        Assert.NotSame(harness.Requests[0], harness.Requests[1]);
        Assert.Equal(harness.Requests[0].RequestUri, harness.Requests[1].RequestUri);
    }

    [Fact]
    public async Task FastAttempt_IsNeverHedged()
    {
        using var harness = new Harness();

        // Once the execution has returned, the hedging strategy has ended: no hedge can start after it.
        var outcome = await harness.Send((_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK))).WaitAsync(Signal);
        harness.Time.Advance(HedgeDelay * 3);

        Assert.Equal(HttpStatusCode.OK, outcome.Result!.StatusCode);
        Assert.Equal(1, harness.Attempts);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task UnsafeMethod_IsNeverHedged(string method)
    {
        using var harness = new Harness(ResiliencePresetNames.IdempotentWrite);
        var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);

        var execution = harness.Send((_, _, _) => answer.Task, new HttpMethod(method));
        await harness.Started(1);
        harness.Time.Advance(HedgeDelay * 3);
        answer.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        await execution.WaitAsync(Signal);

        // A hedge starts only on its timer: none was ever set for this request, so none can have started.
        Assert.DoesNotContain(HedgeDelay, harness.Time.Snapshot());
        Assert.Equal(1, harness.Attempts);
    }

    [Fact]
    public async Task Hedge_WhileTheBreakerIsOpen_IsNotStarted_AndTheAttemptInFlightAnswers()
    {
        using var harness = new Harness(configure: o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
            (o.RetryBudget.MinRetries, o.RetryBudget.MaxRetryRatio) = (1, 0);
        });
        var slow = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var execution = harness.Send((_, _, _) => slow.Task);
        await harness.Started(1);

        // Two failures of two open the breaker while the first request is still waiting for its answer.
        for (var i = 0; i < 2; i++)
        {
            await harness.Send((_, _, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError))).WaitAsync(Signal);
        }

        Assert.Equal(Polly.CircuitBreaker.CircuitState.Open, harness.Client.Breaker!.Read(harness.Time.GetUtcNow()).State);
        harness.Time.Advance(HedgeDelay);
        await Task.Delay(Settle);
        slow.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        var outcome = await execution.WaitAsync(Signal);

        Assert.Equal(HttpStatusCode.OK, outcome.Result!.StatusCode);
        Assert.Equal(3, harness.Attempts);

        // No hedge took the one retry the budget allows.
        Assert.True(harness.Budget.TryAcquireRetry(out _, out _));
    }

    [Fact]
    public async Task Hedge_WhileTheClientIsPaused_WaitsForThePauseToEnd()
    {
        using var harness = new Harness();
        var slow = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var execution = harness.Send((n, _, token) =>
        {
            if (n == 1)
            {
                token.Register(() => slowCancelled.TrySetResult());
                return slow.Task;
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = "hedge" });
        });
        await harness.Started(1);
        harness.Client.Scopes.Learn(new Uri("https://api.test/items"), null).Pause.Extend(harness.Time.GetUtcNow(), TimeSpan.FromSeconds(2));
        var hold = harness.Time.NextTimer(due => due > TimeSpan.FromSeconds(1) && due <= TimeSpan.FromSeconds(3));

        // The hedge starts after the delay and the pacing holds it for the rest of the pause: its timer, not the server.
        harness.Time.Advance(HedgeDelay);
        await hold.WaitAsync(Signal);
        Assert.Equal(1, harness.Attempts);

        // The hedge's answer wins once it arrives, and the slow attempt is cancelled; it answers only after that.
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        await harness.Started(2);
        await slowCancelled.Task.WaitAsync(Signal);
        slow.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        var outcome = await execution.WaitAsync(Signal);

        Assert.Equal("hedge", outcome.Result!.ReasonPhrase);
    }

    [Fact]
    public async Task Hedge_RefusedByAPauseLongerThanTheTimeLeft_LeavesTheAnswerToTheAttemptInFlight()
    {
        using var harness = new Harness();
        var slow = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var execution = harness.Send((_, _, _) => slow.Task);
        await harness.Started(1);
        harness.Client.Scopes.Learn(new Uri("https://api.test/items"), null).Pause.Extend(harness.Time.GetUtcNow(), TimeSpan.FromMinutes(5));

        harness.Time.Advance(HedgeDelay);
        await Task.Delay(Settle);
        slow.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        var outcome = await execution.WaitAsync(Signal);

        Assert.Equal(HttpStatusCode.OK, outcome.Result!.StatusCode);
        Assert.Equal(1, harness.Attempts);
    }

    [Fact]
    public async Task Hedge_OverTheRetryBudget_IsNotStarted()
    {
        using var harness = new Harness(configure: o => (o.RetryBudget.MinRetries, o.RetryBudget.MaxRetryRatio) = (0, 0));
        var slow = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var execution = harness.Send((_, _, _) => slow.Task);
        await harness.Started(1);

        harness.Time.Advance(HedgeDelay * 3);
        await Task.Delay(Settle);
        slow.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        await execution.WaitAsync(Signal);

        Assert.Equal(1, harness.Attempts);
    }

    [Fact]
    public async Task Hedge_TakesARetryFromTheBudget()
    {
        using var harness = new Harness(configure: o => (o.RetryBudget.MinRetries, o.RetryBudget.MaxRetryRatio) = (1, 0));
        var slow = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var execution = harness.Send((n, _, token) => n == 1 ? slow.Task.WaitAsync(token) : Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        await harness.Started(1);

        harness.Time.Advance(HedgeDelay);
        await harness.Started(2);
        await execution.WaitAsync(Signal);

        Assert.False(harness.Budget.TryAcquireRetry(out var retries, out _));
        Assert.Equal(1, retries);
    }

    [Fact]
    public async Task HedgeThatAnswersWithAFailure_IsRetriedLikeAnyAttempt()
    {
        using var harness = new Harness(configure: o => (o.Retry.BaseDelay, o.Retry.MaxDelay) = (TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10)));
        var execution = harness.Send((n, _, token) => n switch
        {
            1 => Task.Delay(Timeout.InfiniteTimeSpan, token).ContinueWith(_ => new HttpResponseMessage(HttpStatusCode.OK), TaskScheduler.Default),
            2 => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)),
            _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = "retry" }),
        });
        await harness.Started(1);
        var backoff = harness.Time.NextTimer(due => due > TimeSpan.Zero && due <= TimeSpan.FromMilliseconds(10));
        harness.Time.Advance(HedgeDelay);
        await harness.Started(2);

        // The retry's backoff runs on the fake clock: once its timer is set (a jittered delay of at most 10 ms, none
        // when the draw is zero), 10 ms sends the retry.
        var retried = harness.Started(3);
        await Task.WhenAny(backoff, retried).WaitAsync(Signal);
        harness.Time.Advance(TimeSpan.FromMilliseconds(10));
        await retried.WaitAsync(Signal);

        var outcome = await execution.WaitAsync(Signal);

        Assert.Equal("retry", outcome.Result!.ReasonPhrase);
        Assert.Equal(3, harness.Attempts);
    }

    [Fact]
    public async Task MaxHedgedAttemptsOfTwo_SendsTwoHedgesOneDelayApart_AndNoMore()
    {
        using var metrics = new MetricRecorder(PresetMetrics.MeterName);
        using var harness = new Harness(configure: o => o.Hedging.MaxHedgedAttempts = 2, clientName: "reads-two-hedges");
        var cancelled = new CountdownEvent(2);
        var execution = harness.Send((n, _, token) =>
        {
            if (n < 3)
            {
                token.Register(() => cancelled.Signal());
                return Task.Delay(Timeout.InfiniteTimeSpan, token).ContinueWith(_ => new HttpResponseMessage(HttpStatusCode.OK), TaskScheduler.Default);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = "second hedge" });
        });
        await harness.Started(1);
        harness.Time.Advance(HedgeDelay);
        await harness.Started(2);
        harness.Time.Advance(HedgeDelay);
        await harness.Started(3);
        var outcome = await execution.WaitAsync(Signal);
        harness.Time.Advance(HedgeDelay * 3);

        Assert.Equal("second hedge", outcome.Result!.ReasonPhrase);
        Assert.True(cancelled.Wait(Signal));
        Assert.Equal(3, harness.Attempts);
        Assert.Equal(2, metrics.For("resiliencepresets.hedges", "reads-two-hedges").Sum(m => m.Value));
    }

    [Fact]
    public async Task CallerCancellation_CancelsTheFirstAttemptAndItsHedge()
    {
        using var harness = new Harness();
        using var caller = new CancellationTokenSource();
        var cancelled = new CountdownEvent(2);
        var execution = harness.Send(
            (_, _, token) =>
            {
                token.Register(() => cancelled.Signal());
                return new TaskCompletionSource<HttpResponseMessage>().Task.WaitAsync(token);
            },
            cancellationToken: caller.Token);
        await harness.Started(1);
        harness.Time.Advance(HedgeDelay);
        await harness.Started(2);

        await caller.CancelAsync();
        var outcome = await execution.WaitAsync(Signal);

        Assert.True(cancelled.Wait(Signal));
        Assert.IsAssignableFrom<OperationCanceledException>(outcome.Exception);
        Assert.Equal(2, harness.Attempts);
    }

    [Fact]
    public async Task HedgeRefusedByAPauseLongerThanTheTimeLeft_IsNotCountedAsAHedge()
    {
        using var metrics = new MetricRecorder(PresetMetrics.MeterName);
        using var harness = new Harness(clientName: "reads-refused-hedge");
        var slow = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var execution = harness.Send((_, _, _) => slow.Task);
        await harness.Started(1);
        harness.Client.Scopes.Learn(new Uri("https://api.test/items"), null).Pause.Extend(harness.Time.GetUtcNow(), TimeSpan.FromMinutes(5));

        harness.Time.Advance(HedgeDelay);
        await Task.Delay(Settle);
        slow.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        await execution.WaitAsync(Signal);

        Assert.Equal(1, harness.Attempts);
        Assert.Empty(metrics.For("resiliencepresets.hedges", "reads-refused-hedge"));
    }

    private sealed class TrackedResponse : HttpResponseMessage
    {
        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    private sealed class Harness : IDisposable
    {
        private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
        private readonly PresetMetrics _metrics = new();
        private readonly List<TaskCompletionSource> _started = [];
        private readonly CompiledPreset _preset;
        private int _attempts;

        public Harness(string presetName = ResiliencePresetNames.ReadOnlyApi, Action<ResiliencePresetOptions>? configure = null, string clientName = "reads")
        {
            var options = BuiltInPresets.Create(presetName);
            options.Hedging.Enabled = true;
            options.Hedging.Percentile = 0;
            options.Hedging.Delay = HedgeDelay;
            configure?.Invoke(options);
            _preset = new CompiledPreset(presetName, clientName, options);
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
            PresetPipelineBuilder.Build(builder, _preset, new PipelineServices(Client, Time, Logs.CreateLogger("ResiliencePresets"), _metrics, () => 0.5));
            _pipeline = builder.Build();
            for (var i = 0; i < 10; i++)
            {
                _started.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }

        public TimerRecordingTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

        public ClientRuntime Client { get; } = new();

        public CapturedLogs Logs { get; } = new();

        public ResiliencePresets.RetryBudget Budget => Client.Budget(_preset, Time)!;

        public int Attempts => Volatile.Read(ref _attempts);

        public List<HttpRequestMessage> Requests { get; } = [];

        public Task Started(int attempt) => _started[attempt - 1].Task.WaitAsync(Signal);

        public Task<Outcome<HttpResponseMessage>> Send(Func<int, HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> attempt, HttpMethod? method = null, CancellationToken cancellationToken = default)
        {
            var request = new HttpRequestMessage(method ?? HttpMethod.Get, "https://api.test/items");
            var context = ResilienceContextPool.Shared.Get(cancellationToken);
            context.SetRequestMessage(request);
            return Run();

            async Task<Outcome<HttpResponseMessage>> Run()
            {
                var outcome = await Client.ExecuteRequestAsync(
                    _pipeline,
                    async (ctx, _) =>
                    {
                        var n = Interlocked.Increment(ref _attempts);
                        var sent = ctx.GetRequestMessage()!;
                        lock (Requests)
                        {
                            Requests.Add(sent);
                        }

                        _started[n - 1].TrySetResult();
                        try
                        {
                            return Outcome.FromResult(await attempt(n, sent, ctx.CancellationToken));
                        }
                        catch (OperationCanceledException e)
                        {
                            return Outcome.FromException<HttpResponseMessage>(e);
                        }
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
