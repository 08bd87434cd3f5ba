using System.Net;
using BenchmarkDotNet.Attributes;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// The two pure decisions every attempt goes through, alone: reading the server's wait and classifying the status code.
/// </summary>
[MemoryDiagnoser]
public class DecisionBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private readonly HttpResponseMessage _ok = new(HttpStatusCode.OK);
    private readonly HttpResponseMessage _retryAfterSeconds = Response(HttpStatusCode.TooManyRequests, "Retry-After", "5");
    private readonly HttpResponseMessage _retryAfterDate = Response(HttpStatusCode.ServiceUnavailable, "Retry-After", "Mon, 23 Nov 2026 12:00:30 GMT");
    private readonly HttpResponseMessage _unavailable = new(HttpStatusCode.ServiceUnavailable);
    private readonly HttpResponseMessage _verdict = Response(HttpStatusCode.InternalServerError, "x-should-retry", "false");
    private readonly HttpResponseMessage _quota = Response(HttpStatusCode.TooManyRequests, "X-RateLimit-Remaining", "0", ("X-RateLimit-Reset", "30"));
    private readonly AttemptInspector _inspector = new(StatusCodeClassifier.Default, new FixedTime(Now));
    private readonly HttpRequestMessage _get = new(HttpMethod.Get, "http://api.benchmark.invalid/v1/items");
    private readonly RetryDecider _decider;
    private readonly RequestState _state = new(TimeProvider.System.GetTimestamp());

    public DecisionBenchmarks()
    {
        // ReadOnlyApi's defaults with a budget whose minimum never runs out, so that every call takes the path of a retry
        // that happens, however long the run (requests recorded up front would leave the budget's window).
        var options = BuiltInPresets.Create(ResiliencePresetNames.ReadOnlyApi);
        var preset = new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, "benchmark", options);
        var budget = new RetryBudget(maxRetryRatio: 0.2, minRetries: int.MaxValue, options.RetryBudget.Window, TimeProvider.System);

        _decider = new RetryDecider(preset, TimeProvider.System, Random.Shared.NextDouble, budget);
    }

    [Benchmark]
    public bool RetryAfterNoHeader() => RetryAfterReader.TryRead(_ok, Now, out _);

    [Benchmark]
    public bool RetryAfterDeltaSeconds() => RetryAfterReader.TryRead(_retryAfterSeconds, Now, out _);

    [Benchmark]
    public bool RetryAfterHttpDate() => RetryAfterReader.TryRead(_retryAfterDate, Now, out _);

    [Benchmark]
    public StatusCodeRule ClassifyOk() => StatusCodeClassifier.Default.Classify(_ok);

    [Benchmark]
    public StatusCodeRule ClassifyServiceUnavailable() => StatusCodeClassifier.Default.Classify(_unavailable);

    [Benchmark]
    public StatusCodeRule ClassifyServerVerdictHeader() => StatusCodeClassifier.Default.Classify(_verdict);

    // The whole reading of a finished attempt, as the breaker, the pacing and the retry share it.
    [Benchmark]
    public int InspectOk() => Summary(_inspector.Inspect(Polly.Outcome.FromResult(_ok)));

    [Benchmark]
    public int InspectServiceUnavailable() => Summary(_inspector.Inspect(Polly.Outcome.FromResult(_unavailable)));

    [Benchmark]
    public int InspectRetryAfterSeconds() => Summary(_inspector.Inspect(Polly.Outcome.FromResult(_retryAfterSeconds)));

    [Benchmark]
    public int InspectSpentQuota() => Summary(_inspector.Inspect(Polly.Outcome.FromResult(_quota)));

    // The retry's whole decision for a 503 without a wait, from its verdict: the status table's rule, the method, the
    // time left, the backoff and the budget (the budget is refilled as it goes: a retry is counted in the current tenth).
    [Benchmark]
    public bool DecideServiceUnavailable()
    {
        var verdict = _inspector.Inspect(Polly.Outcome.FromResult(_unavailable));
        return _decider.Decide(verdict, _get, _state, 0).ShouldRetry;
    }

    // Uses the verdict, so that nothing of the reading is optimized away.
    private static int Summary(AttemptVerdict verdict) => verdict.EffectiveStatusCode + (verdict.Rule.IsRetry ? 1 : 0) + (verdict.ServerWait is null ? 0 : 2);

    private static HttpResponseMessage Response(HttpStatusCode status, string header, string value, params (string Name, string Value)[] more)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.TryAddWithoutValidation(header, value);
        foreach (var (name, other) in more)
        {
            response.Headers.TryAddWithoutValidation(name, other);
        }

        return response;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
