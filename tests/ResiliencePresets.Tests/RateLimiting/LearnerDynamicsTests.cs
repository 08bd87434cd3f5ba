using ResiliencePresets.Tests.RateLimiting.Model;
using Xunit.Abstractions;

namespace ResiliencePresets.Tests.RateLimiting;

/// <summary>
/// The learner against the limiters of the load simulation, in virtual time (<see cref="ModelClient"/>): 20 workers,
/// 200 requests, a limit of 20 a second (floor 10 s); and the limits that differ from the workers: a token bucket of 40 a
/// second (floor 10 s), and the simulation's changing limits (a bucket of a tenth of a second's worth, 20 → 40 a second
/// after 5 s with 500 requests, 40 → 20 with 400, floor 15 s).
/// </summary>
public sealed class LearnerDynamicsTests(ITestOutputHelper output)
{
    public static TheoryData<string> Servers => ["nginx", "nginx burst", "nginx retry-after", "fixed", "fixed retry-after", "sliding", "bucket", "classic", "bucket 40", "doubles", "halves"];

    [Theory]
    [MemberData(nameof(Servers))]
    public void Learner_AgainstEachLimiter_Report(string name)
    {
        var (server, workers, requests, changeAt5s) = Server(name);
        var client = new ModelClient
        {
            Jitter = TimeSpan.FromMilliseconds(2),
            OnTick = changeAt5s is { } change
                ? t =>
                {
                    if (t == TimeSpan.FromSeconds(5))
                    {
                        change();
                    }
                }
                : null,
        }.Run(server, workers, requests);
        output.WriteLine($"{name}: {client}");
        output.WriteLine(client.Trace());
        Assert.Equal(0, client.Failed);
    }

    // The server, the workers, the requests, and what changes 5 s into the run.
    private static (ModelServer, int, int, Action?) Server(string name)
    {
        ModelServer.TokenBucket bucket;
        return name switch
        {
            "nginx" => (new ModelServer.LeakyBucket(20, 0, null), 20, 200, null),
            "nginx burst" => (new ModelServer.LeakyBucket(20, 10, null), 20, 200, null),
            "nginx retry-after" => (new ModelServer.LeakyBucket(20, 0, 1), 20, 200, null),
            "fixed" => (new ModelServer.FixedWindow(20, TimeSpan.FromMilliseconds(300), retryAfter: false), 20, 200, null),
            "fixed retry-after" => (new ModelServer.FixedWindow(20, TimeSpan.FromMilliseconds(300), retryAfter: true), 20, 200, null),
            "sliding" => (new ModelServer.SlidingWindow(20), 20, 200, null),
            "bucket" => (new ModelServer.TokenBucket(20, 20), 20, 200, null),
            "bucket 40" => (new ModelServer.TokenBucket(40, 4), 20, 400, null),
            "doubles" => (bucket = new ModelServer.TokenBucket(20, 2), 20, 500, () => (bucket.Rate, bucket.Capacity) = (40, 4)),
            "halves" => (bucket = new ModelServer.TokenBucket(40, 4), 20, 400, () => (bucket.Rate, bucket.Capacity) = (20, 2)),
            _ => (new ModelServer.TokenBucket(10, 1), 10, 100, null),
        };
    }
}
