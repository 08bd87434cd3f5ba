using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Attempts;

/// <summary>
/// A finished attempt is read once, however many strategies ask about it.
/// </summary>
public sealed class AttemptReadingTests
{
    // Regression: a failed 503 with Retry-After was interpreted by the breaker, the pacing and the retry, each parsing
    // every wait header again.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryAttempt_IsInspectedOnceByBreakerPacingAndRetryTogether(bool breaker)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var options = BuiltInPresets.Create(ResiliencePresetNames.ReadOnlyApi);
        options.CircuitBreaker.Enabled = breaker;
        var preset = new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, "reads", options);
        var inspector = new AttemptInspector(preset.Classifier, time, countInspections: true);
        var logs = new CapturedLogs();
        using var metrics = new PresetMetrics();
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        var client = new ClientRuntime();
        PresetPipelineBuilder.Build(builder, preset, new PipelineServices(client, time, logs.CreateLogger("ResiliencePresets"), metrics, () => 0.5, Inspector: inspector));
        var pipeline = builder.Build();
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/items");
        var context = ResilienceContextPool.Shared.Get();
        context.SetRequestMessage(request);
        var attempts = 0;

        var execution = client.ExecuteRequestAsync(pipeline, (_, _) => ValueTask.FromResult(Outcome.FromResult(++attempts < 3
            ? Unavailable()
            : new HttpResponseMessage(HttpStatusCode.OK))), context, 0, time).AsTask();
        while (!execution.IsCompleted)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        var outcome = await execution;
        ResilienceContextPool.Shared.Return(context);

        Assert.Equal(HttpStatusCode.OK, outcome.Result!.StatusCode);
        Assert.Equal(3, attempts);
        Assert.Equal(3, inspector.Inspections);
    }

    private static HttpResponseMessage Unavailable()
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        response.Headers.TryAddWithoutValidation("Retry-After", "1");
        response.Headers.TryAddWithoutValidation("RateLimit", "\"default\";r=0;t=1");
        return response;
    }
}
