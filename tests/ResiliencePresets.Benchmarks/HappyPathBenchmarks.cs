using System.Net;
using BenchmarkDotNet.Attributes;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// One GET answered 200 at once: the cost a resilience layer adds to every successful request.
/// </summary>
[MemoryDiagnoser]
public class HappyPathBenchmarks
{
    private BenchmarkClients _clients = null!;
    private HttpClient _plain = null!;
    private HttpClient _standard = null!;
    private HttpClient _readOnlyApiTwin = null!;
    private HttpClient _readOnlyApiPreset = null!;
    private HttpClient _idempotentWriteTwin = null!;
    private HttpClient _idempotentWritePreset = null!;
    private HttpClient _paymentTwin = null!;
    private HttpClient _paymentPreset = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clients = new BenchmarkClients([HttpStatusCode.OK], TwinSettings.FailureRatio);
        _plain = _clients.Create(BenchmarkClients.Plain);
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
    public Task<HttpStatusCode> PlainHttpClient() => BenchmarkClients.SendAsync(_plain);

    [Benchmark]
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
