using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Tests.TestSupport;
using Xunit.Abstractions;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// The exactly-once soak: payments from concurrent callers through PaymentWithIdempotencyKey against a payment API that
/// faults 30 % of requests. Quick (500 payments) by default; <c>RELIABILITY_FULL=1</c> runs 10,000 (docs/reliability.md).
/// </summary>
[Collection(ReliabilitySoak.Name)]
public sealed class ExactlyOnceSoakTests(ITestOutputHelper output)
{
    private const int Callers = 16;
    private const double FaultRate = 0.3;
    private const int DefaultSeed = 20261123;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan Stall = AttemptTimeout + TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task PaymentWithIdempotencyKey_ThirtyPercentOfRequestsFaulted_NoPaymentIsChargedTwiceAndEveryFailureIsReconcilable()
    {
        var full = Environment.GetEnvironmentVariable("RELIABILITY_FULL") == "1";
        var count = full ? 10_000 : 500;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("RELIABILITY_SEED"), CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        await using var server = await PaymentServer.StartAsync(new FaultInjector(seed, rate: 0), Stall);
        var attempts = new AttemptCounter();
        using var payer = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url, Configure, client: b => b.AddHttpMessageHandler(() => attempts));
        await WarmUpAsync(server.Url);
        var warmUpRequests = server.RequestsReceived;
        server.Faults.Rate = FaultRate;

        var clock = Stopwatch.StartNew();
        var outcomes = await PayAllAsync(payer.Client, count);
        var soakTime = clock.Elapsed;
        await server.Api.WhenIdleAsync();
        var soakAttempts = attempts.Attempts;
        var soakRequests = server.RequestsReceived - warmUpRequests;
        var faults = server.Faults.Counts();
        var chargesAfterSoak = server.Api.Charges().ToLookup(c => c.PaymentId);
        var failed = outcomes.Where(o => !o.Succeeded).ToList();

        // Later, a reconciliation job (its own client, so its own breaker) sends each failed payment again with its key.
        server.Faults.Rate = 0;
        using var reconciler = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url, Configure);
        var reconciled = new List<PaymentOutcome>();
        foreach (var payment in failed)
        {
            reconciled.Add(await PaymentCaller.ReconcileAsync(reconciler.Client, payment));
        }

        await server.StopAsync();
        var finalCharges = server.Api.Charges();
        output.WriteLine(Figures(seed, soakTime, outcomes, chargesAfterSoak, server.Api, faults, (soakAttempts, soakRequests), finalCharges.Count));

        Assert.All(outcomes, o => Assert.False(o.Key is null, $"{o.Payment.PaymentId}: the caller cannot tell which key was sent"));
        Assert.Empty(chargesAfterSoak.Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.All(outcomes.Where(o => o.Succeeded), o =>
        {
            var charge = Assert.Single(chargesAfterSoak[o.Payment.PaymentId]);
            Assert.Equal((o.ChargeId, o.Key), (charge.ChargeId, charge.IdempotencyKey));
        });
        Assert.All(failed.Zip(reconciled), pair =>
        {
            var (before, after) = pair;
            Assert.True(after.Succeeded, $"{before.Payment.PaymentId} could not be reconciled: {after.Failure}");
            if (chargesAfterSoak[before.Payment.PaymentId].SingleOrDefault() is Charge charged)
            {
                // Charged although the caller was told it failed: the key the caller holds finds that very charge.
                Assert.Equal((before.Key, charged.ChargeId), (charged.IdempotencyKey, after.ChargeId));
            }
        });
        Assert.Equal(outcomes.Select(o => o.Payment.PaymentId).Order(StringComparer.Ordinal), finalCharges.Select(c => c.PaymentId).Order(StringComparer.Ordinal));
        Assert.Equal((0, 0), (server.Api.KeyMismatches, server.Api.KeylessCharges));
        Assert.All(faults.Where(p => p.Key != Fault.None), pair => Assert.True(pair.Value > 0, $"no request got {pair.Key}"));
        // Retries turn most faults into successes (about 95 % in practice); far fewer means the retries are not working.
        Assert.True(outcomes.Count(o => o.Succeeded) >= 0.9 * count, $"only {outcomes.Count(o => o.Succeeded)} of {count} payments succeeded");
    }

    private static void Configure(ResiliencePresetOptions options)
    {
        options.AttemptTimeout = AttemptTimeout;
        options.TotalTimeout = TimeSpan.FromSeconds(10);
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(500);
    }

    // Kestrel and the client pipeline compile on first use: a cold start under 16 callers outlasts the short attempt
    // timeout, and those timeouts alone can open the payer's breaker. A separate client with a long attempt timeout warms
    // both up with invalid payments, which are answered 400 and charge nothing.
    private static async Task WarmUpAsync(string url)
    {
        using var warmer = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, url, o => o.AttemptTimeout = TimeSpan.FromSeconds(10));
        await Task.WhenAll(Enumerable.Range(0, Callers).Select(async _ =>
        {
            using var response = await warmer.Client.PostAsync(PaymentServer.ChargesPath, new StringContent("{}"));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        }));
    }

    // Even-numbered payments carry the caller's own key (an order reference); the others let the preset stamp one.
    private static async Task<PaymentOutcome[]> PayAllAsync(HttpClient client, int count)
    {
        var outcomes = new PaymentOutcome[count];
        var next = -1;
        async Task CallerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                var payment = new Payment($"pay-{i:D5}", 100 + (i % 9_900));
                outcomes[i] = await PaymentCaller.PayAsync(client, payment, i % 2 == 0 ? $"order-{i:D5}-{Guid.NewGuid():N}" : null);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Callers).Select(_ => Task.Run(CallerAsync)));
        return outcomes;
    }

    private static string Figures(
        int seed,
        TimeSpan soakTime,
        PaymentOutcome[] outcomes,
        ILookup<string, Charge> chargesAfterSoak,
        PaymentApi api,
        IReadOnlyDictionary<Fault, int> faults,
        (int Attempts, int Requests) traffic,
        int finalCharges)
    {
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        var lost = failed.Count(o => chargesAfterSoak[o.Payment.PaymentId].Any());
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"payments {outcomes.Length}, callers {Callers}, fault rate {FaultRate:0.00}, seed {seed}, soak {soakTime.TotalSeconds:0.0} s");
        text.AppendLine(CultureInfo.InvariantCulture, $"caller saw succeed   {outcomes.Length - failed.Count}");
        text.AppendLine(CultureInfo.InvariantCulture, $"caller saw fail      {failed.Count} ({string.Join(", ", failed.GroupBy(o => o.Failure).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"))})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  charged (lost until reconciled by key) {lost}, not charged {failed.Count - lost}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  with the caller's own key {failed.Count(o => o.OwnKey)}, with the key the preset stamped {failed.Count(o => !o.OwnKey)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"charges recorded     {chargesAfterSoak.Sum(g => g.Count())}");
        text.AppendLine(CultureInfo.InvariantCulture, $"duplicate charges    {chargesAfterSoak.Sum(g => g.Count() - 1)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"after reconciliation {finalCharges} charges for {outcomes.Length} payments");
        text.AppendLine(CultureInfo.InvariantCulture, $"attempts sent by the preset {traffic.Attempts}, requests the server received {traffic.Requests}");
        text.AppendLine(CultureInfo.InvariantCulture, $"replays {api.Replays}, 409 in flight {api.Conflicts}, 422 key reused {api.KeyMismatches}, keyless charges {api.KeylessCharges}");
        text.Append(CultureInfo.InvariantCulture, $"faults {string.Join(", ", faults.Select(p => $"{p.Key} {p.Value}"))}");
        return text.ToString();
    }
}
