using System.Net;
using BenchmarkDotNet.Attributes;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// One GET whose first attempt fails (503, or 429 with <c>Retry-After: 0</c>) and whose retry, sent without delay,
/// gets 200: the cost of one retry.
/// </summary>
/// <remarks>
/// Every setup's breaker counts the failed first attempt; with half of all attempts failing, the default ratios would
/// open it, so every setup here uses a failure ratio of 1.
/// </remarks>
[MemoryDiagnoser]
public class RetryPathBenchmarks
{
    private BenchmarkClients _clients = null!;
    private HttpClient _standard = null!;
    private HttpClient _readOnlyApiTwin = null!;
    private HttpClient _readOnlyApiPreset = null!;
    private HttpClient _idempotentWriteTwin = null!;
    private HttpClient _idempotentWritePreset = null!;
    private HttpClient _paymentTwin = null!;
    private HttpClient _paymentPreset = null!;

    [Params(HttpStatusCode.ServiceUnavailable, HttpStatusCode.TooManyRequests)]
    public HttpStatusCode FirstStatus { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _clients = new BenchmarkClients([FirstStatus, HttpStatusCode.OK], failureRatio: 1);
        _standard = _clients.Create(BenchmarkClients.Standard);
        _readOnlyApiTwin = _clients.Create(BenchmarkClients.Twin(ResiliencePresetNames.ReadOnlyApi));
        _readOnlyApiPreset = _clients.Create(BenchmarkClients.Preset(ResiliencePresetNames.ReadOnlyApi));
        _idempotentWriteTwin = _clients.Create(BenchmarkClients.Twin(ResiliencePresetNames.IdempotentWrite));
        _idempotentWritePreset = _clients.Create(BenchmarkClients.Preset(ResiliencePresetNames.IdempotentWrite));
        _paymentTwin = _clients.Create(BenchmarkClients.Twin(ResiliencePresetNames.PaymentWithIdempotencyKey));
        _paymentPreset = _clients.Create(BenchmarkClients.Preset(ResiliencePresetNames.PaymentWithIdempotencyKey));
    }

    [GlobalCleanup]
    public void Cleanup() => _clients.Dispose();

    [Benchmark(Baseline = true)]
    public Task<HttpStatusCode> StandardHandler() => BenchmarkClients.SendAsync(_standard);

    [Benchmark]
    public Task<HttpStatusCode> ReadOnlyApiTwin() => BenchmarkClients.SendAsync(_readOnlyApiTwin);

    [Benchmark]
    public Task<HttpStatusCode> ReadOnlyApiPreset() => BenchmarkClients.SendAsync(_readOnlyApiPreset);

    [Benchmark]
    public Task<HttpStatusCode> IdempotentWriteTwin() => BenchmarkClients.SendAsync(_idempotentWriteTwin);

    [Benchmark]
    public Task<HttpStatusCode> IdempotentWritePreset() => BenchmarkClients.SendAsync(_idempotentWritePreset);

    [Benchmark]
    public Task<HttpStatusCode> PaymentTwin() => BenchmarkClients.SendAsync(_paymentTwin);

    [Benchmark]
    public Task<HttpStatusCode> PaymentPreset() => BenchmarkClients.SendAsync(_paymentPreset);
}
