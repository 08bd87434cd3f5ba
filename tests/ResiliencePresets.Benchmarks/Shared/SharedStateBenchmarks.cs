using BenchmarkDotNet.Attributes;
using StackExchange.Redis;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// What sharing through Redis adds to a request of the ReadOnlyApi preset (a redis-server started on loopback): on the
/// happy path (nothing in force: no round trip), pacing to a quota (the host's pace, shared through the learned
/// bucket), and one lease round trip alone. The configured bucket and the learned rate are measured by
/// <c>--shared</c> only: a benchmark loop alone outruns the largest rate a bucket may have (100,000 a second) and would
/// measure the bucket's limit, and a learned rate stops a minute after its last rate signal, sooner than a run ends.
/// </summary>
[MemoryDiagnoser]
public class SharedStateBenchmarks
{
    private SharedStateClients _clients = null!;
    private HttpClient _happyLocal = null!;
    private HttpClient _happyShared = null!;
    private HttpClient _quotaLocal = null!;
    private HttpClient _quotaShared = null!;
    private IDatabase _database = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _clients = await SharedStateClients.StartAsync();
        _happyLocal = await _clients.CreateAsync(SharedStateClients.HappyPath, shared: false);
        _happyShared = await _clients.CreateAsync(SharedStateClients.HappyPath, shared: true);
        _quotaLocal = await _clients.CreateAsync(SharedStateClients.QuotaPace, shared: false);
        _quotaShared = await _clients.CreateAsync(SharedStateClients.QuotaPace, shared: true);
        _database = _clients.Database;
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _clients.DisposeAsync();

    [Benchmark(Baseline = true)]
    public Task<System.Net.HttpStatusCode> HappyPathWithoutRedis() => SharedStateClients.SendAsync(_happyLocal);

    [Benchmark]
    public Task<System.Net.HttpStatusCode> HappyPathWithRedis() => SharedStateClients.SendAsync(_happyShared);

    [Benchmark]
    public Task<System.Net.HttpStatusCode> QuotaPaceWithoutRedis() => SharedStateClients.SendAsync(_quotaLocal);

    [Benchmark]
    public Task<System.Net.HttpStatusCode> QuotaPaceWithRedis() => SharedStateClients.SendAsync(_quotaShared);

    [Benchmark]
    public Task<RedisResult> LeaseRoundTrip() => SharedStateTiming.LeaseAsync(_database);
}
