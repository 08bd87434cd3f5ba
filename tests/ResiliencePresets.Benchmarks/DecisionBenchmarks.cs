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

    private static HttpResponseMessage Response(HttpStatusCode status, string header, string value)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.TryAddWithoutValidation(header, value);
        return response;
    }
}
