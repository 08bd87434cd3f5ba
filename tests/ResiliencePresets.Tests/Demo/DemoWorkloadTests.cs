using ResiliencePresets.Demo.Results;
using ResiliencePresets.Demo.Server;
using ResiliencePresets.Demo.Workload;

namespace ResiliencePresets.Tests.Demo;

/// <summary>
/// Runs the demo's workload in its reduced form (few requests, server waits of tens of milliseconds) and checks the
/// promises the demo's table makes, from what the server and the handler below the retries measured.
/// </summary>
public sealed class DemoWorkloadTests : IClassFixture<DemoWorkloadTests.ReducedRun>
{
    private static readonly string[] Presets =
        [ResiliencePresetNames.ReadOnlyApi, ResiliencePresetNames.IdempotentWrite, ResiliencePresetNames.PaymentWithIdempotencyKey, "Checkout"];

    private readonly WorkloadReport _report;

    public DemoWorkloadTests(ReducedRun run) => _report = run.Report;

    [Fact]
    public void PaymentWithIdempotencyKey_ChargeRetriedAfterServerFailure_IsChargedOnce()
    {
        var payments = Result(ResiliencePresetNames.PaymentWithIdempotencyKey);

        Assert.True(payments.PostsRetried > 0, "the workload retried no POST, so it proves nothing about duplicates");
        Assert.True(payments.Charges > 0);
        Assert.Equal(0, payments.DuplicateCharges);
        Assert.Equal(0, payments.UnsafeRetries);
    }

    [Fact]
    public void ReadOnlyApi_PostThatFailed_IsNeverRetried()
    {
        var readOnly = Result(ResiliencePresetNames.ReadOnlyApi);

        Assert.True(Result(ClientSetupCatalog.Naive).PostsRetried > 0, "no POST in the workload failed, so it proves nothing");
        Assert.Equal(0, readOnly.PostsRetried);
        Assert.Equal(0, readOnly.UnsafeRetries);
        Assert.Equal(0, readOnly.DuplicateCharges);
    }

    [Theory]
    [InlineData("ReadOnlyApi")]
    [InlineData("IdempotentWrite")]
    [InlineData("PaymentWithIdempotencyKey")]
    [InlineData("Checkout")]
    public void Preset_ServerNamedAWait_RetryNeverArrivesBeforeIt(string preset)
    {
        var result = Result(preset);

        Assert.True(result.RetriedOnTime > 0, "no retry followed a named wait, so it proves nothing");
        Assert.True(result.SmallestRetryMargin >= TimeSpan.Zero, $"a retry arrived {-result.SmallestRetryMargin!.Value.TotalMilliseconds} ms before the time the server named");
        Assert.Equal(0, result.RetriedEarly);
    }

    [Fact]
    public void NaiveRetryLoop_SameWorkload_ChargesTwiceAndRetriesBeforeTheNamedTime()
    {
        var naive = Result(ClientSetupCatalog.Naive);

        Assert.True(naive.DuplicateCharges > 0);
        Assert.True(naive.RetriedEarly > 0);
        Assert.True(naive.UnsafeRetries > 0);
    }

    [Fact]
    public void EverySetup_AttemptsCountedBelowTheRetries_MatchTheServersCount()
    {
        Assert.Equal(Presets.Length + 1, _report.Setups.Count);
        Assert.All(_report.Setups, r => Assert.Equal(r.ServerAttempts, r.Attempts));
        Assert.All(_report.Setups, r => Assert.Equal(_report.RequestsPerSetup, r.Requests));
    }

    [Fact]
    public void EverySetup_Columns_AddUp()
    {
        Assert.All(_report.Setups, r =>
        {
            Assert.Equal(r.Requests - r.NotSent + r.Retries, r.Attempts);
            Assert.InRange(r.NotSent, 0, r.Failed);
            Assert.InRange(r.BreakerRejections, 0, r.Failed);
            Assert.Equal(r.Failed, r.FailedWith.Sum(f => f.Value));
            Assert.Equal(r.BreakerRejections, r.FailedWith.Where(f => f.Key.EndsWith(" BrokenCircuitException", StringComparison.Ordinal)).Sum(f => f.Value));
        });
    }

    [Fact]
    public void EverySetup_SearchLimiterNamesNoWait_ItsRefusalsCountedAsNoWait429s()
    {
        // The naive loop retries at once, so its retries of a search always come too soon for the limiter.
        var naive = Result(ClientSetupCatalog.Naive);

        Assert.True(naive.UnnamedRateLimitsFirstHalf + naive.UnnamedRateLimitsSecondHalf > 0, "the search API refused nothing");
        Assert.All(_report.Setups, r => Assert.InRange(r.UnnamedRateLimitsFirstHalf + r.UnnamedRateLimitsSecondHalf, 0, r.RateLimited));
    }

    private SetupResult Result(string setup) => _report.Setups.Single(r => r.Setup == setup);

    /// <summary>One reduced run shared by the tests above: about three seconds.</summary>
    public sealed class ReducedRun : IAsyncLifetime
    {
        public WorkloadReport Report { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var configuration = DemoConfiguration.Load();

            // Short client backoff, so retries after a failure that named no wait cost milliseconds; waits the server
            // names are left as they are.
            var overrides = ClientSetupCatalog.Create(configuration.GetSection(DemoConfiguration.SectionName))
                .Where(s => Presets.Contains(s.Name))
                .SelectMany(s => s.ClientNames)
                .SelectMany(name => new KeyValuePair<string, string?>[]
                {
                    new($"ResiliencePresets:Clients:{name}:Retry:BaseDelay", "00:00:00.010"),
                    new($"ResiliencePresets:Clients:{name}:Retry:MaxDelay", "00:00:00.040"),
                });

            Report = await DemoWorkload.RunAsync(new WorkloadSettings
            {
                Configuration = DemoConfiguration.Load(overrides),
                RequestsPerSetup = 40,
                Seed = 7,
                Interval = TimeSpan.FromMilliseconds(15),
                Server = ServerTiming.Fast,
                Setups = [ClientSetupCatalog.Naive, .. Presets],
            });
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }
}
