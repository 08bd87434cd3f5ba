using System.Net;
using Polly;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Hedging;

/// <summary>
/// Polly's hedging strategy as <see cref="PresetHedging"/> configures it, alone on a fake clock: which latencies it
/// records into the client's <see cref="ObservedLatency"/>.
/// </summary>
public sealed class PresetHedgingTests
{
    private static readonly TimeSpan FixedDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Signal = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FirstAttemptThatAHedgeBeats_IsRecordedWithTheTimeItRan()
    {
        using var harness = new Harness();
        var primary = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hedgeAnswer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hedgeStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hedgeTimer = harness.Time.NextTimer(due => due == FixedDelay);

        var execution = harness.Send((n, token) =>
        {
            if (n == 1)
            {
                return primary.Task.WaitAsync(token);
            }

            hedgeStarted.TrySetResult();
            return hedgeAnswer.Task;
        });
        await hedgeTimer.WaitAsync(Signal);
        harness.Time.Advance(FixedDelay);
        await hedgeStarted.Task.WaitAsync(Signal);
        harness.Time.Advance(TimeSpan.FromMilliseconds(50));
        hedgeAnswer.SetResult(new HttpResponseMessage(HttpStatusCode.OK));
        await execution.WaitAsync(Signal);

        // 99 samples before this one, 49 of them 1 ms and 50 of them 10 s: the median of 100 is the 50th, this one.
        Assert.Equal(TimeSpan.FromMilliseconds(150), harness.Latency.Delay);
    }

    [Fact]
    public async Task FirstAttemptThatAnswers_IsRecordedWithItsOwnTime()
    {
        using var harness = new Harness();
        var answer = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var hedgeTimer = harness.Time.NextTimer(due => due == FixedDelay);
        var execution = harness.Send((_, _) => answer.Task);
        await hedgeTimer.WaitAsync(Signal);
        harness.Time.Advance(TimeSpan.FromMilliseconds(40));
        answer.SetResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        await execution.WaitAsync(Signal);

        Assert.Equal(TimeSpan.FromMilliseconds(40), harness.Latency.Delay);
    }

    private sealed class Harness : IDisposable
    {
        private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
        private readonly PresetMetrics _metrics = new();
        private int _attempts;

        public Harness()
        {
            var options = BuiltInPresets.Create(ResiliencePresetNames.ReadOnlyApi);
            options.Hedging.Enabled = true;
            options.Hedging.Percentile = 50;
            options.Hedging.Delay = FixedDelay;
            var preset = new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, "reads", options);
            for (var i = 0; i < ObservedLatency.MinSamples - 1; i++)
            {
                Latency.Record(i < 49 ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromSeconds(10));
            }

            _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = Time }
                .AddHedging(PresetHedging.Create(preset, Latency, null, null, _metrics, Time))
                .Build();
        }

        public TimerRecordingTimeProvider Time { get; } = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

        public ObservedLatency Latency { get; } = new(50, FixedDelay);

        public async Task Send(Func<int, CancellationToken, Task<HttpResponseMessage>> attempt)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items");
            var context = ResilienceContextPool.Shared.Get();
            context.SetRequestMessage(request);
            var state = RequestState.Rent(Time.GetTimestamp());
            context.Properties.Set(RequestState.Key, state);
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                async (ctx, _) =>
                {
                    try
                    {
                        return Outcome.FromResult(await attempt(Interlocked.Increment(ref _attempts), ctx.CancellationToken));
                    }
                    catch (OperationCanceledException e)
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context,
                0);
            outcome.Result?.Dispose();
            RequestState.Return(state);
            ResilienceContextPool.Shared.Return(context);
        }

        public void Dispose() => _metrics.Dispose();
    }
}
