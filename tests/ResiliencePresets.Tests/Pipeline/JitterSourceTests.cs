using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Tests.TestSupport;
using WireMock.ResponseBuilders;

namespace ResiliencePresets.Tests.Pipeline;

/// <summary>
/// A registered <see cref="JitterSource"/> is where a preset client draws its backoff jitter from: the same seed gives
/// the same delays, in any service provider.
/// </summary>
public sealed class JitterSourceTests : IDisposable
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(4);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(16);
    private readonly FlakyServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task RegisteredSource_RetriesWithoutANamedWait_DrawTheSeedsSequence()
    {
        var delays = await RetryDelaysAsync("/jitter/sequence", new JitterSource(42));

#pragma warning disable CA5394 // The expected sequence of a seeded generator.
        var random = new Random(42);
        var expected = Enumerable.Range(0, 3).Select(i => BackoffDelay.Compute(i, BaseDelay, MaxDelay, random.NextDouble()).TotalMilliseconds).ToList();
#pragma warning restore CA5394
        Assert.Equal(expected, delays);
    }

    [Fact]
    public async Task SameSeed_TwoServiceProviders_SameDelays()
    {
        var first = await RetryDelaysAsync("/jitter/first", new JitterSource(7));
        var second = await RetryDelaysAsync("/jitter/second", new JitterSource(7));
        var otherSeed = await RetryDelaysAsync("/jitter/other", new JitterSource(8));

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherSeed);
    }

    [Fact]
    public async Task NoSourceRegistered_RetriesStillJittered()
    {
        var delays = await RetryDelaysAsync("/jitter/shared", jitter: null);

        Assert.Equal(3, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, 0, MaxDelay.TotalMilliseconds));
    }

    [Fact]
    public void NextDouble_SameSeed_SameSequenceAsRandom()
    {
        var source = new JitterSource(3);
#pragma warning disable CA5394 // The expected sequence of a seeded generator.
        var random = new Random(3);
        Assert.Equal(Enumerable.Range(0, 5).Select(_ => random.NextDouble()), Enumerable.Range(0, 5).Select(_ => source.NextDouble()));
#pragma warning restore CA5394
    }

    // Three retries of a 503 that names no wait: each delay is the backoff's, drawn from the jitter source.
    private async Task<List<double>> RetryDelaysAsync(string path, JitterSource? jitter)
    {
        _server.Respond(path, Response.Create().WithStatusCode(503));
        using var api = PresetClient.Create(
            ResiliencePresetNames.ReadOnlyApi,
            _server.Url,
            o =>
            {
                o.Retry.MaxRetryAttempts = 3;
                o.Retry.BaseDelay = BaseDelay;
                o.Retry.MaxDelay = MaxDelay;
                o.RetryBudget.Enabled = false;
                o.CircuitBreaker.Enabled = false;
            },
            services: s =>
            {
                if (jitter is not null)
                {
                    s.AddSingleton(jitter);
                }
            });

        using var response = await api.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(503, (int)response.StatusCode);
        return [.. api.Logs.Entries.Where(e => e.EventId.Name == "RetryScheduled")
            .Select(e => (double)e.Values.Single(v => v.Key == "DelayMs").Value!)];
    }
}
