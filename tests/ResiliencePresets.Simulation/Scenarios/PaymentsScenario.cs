using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Limiters;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// Payments through a rate limiter that also loses a share of its answers: does any setup charge a payment twice? The
/// hand-written loop and the standard handler repeat a POST as it was sent (no key); PaymentWithIdempotencyKey stamps
/// one key per payment and sends it, with a byte-identical body, on every attempt.
/// </summary>
public static class PaymentsScenario
{
    public const string PaymentDefaults = "PaymentWithIdempotencyKey, defaults";
    public const string PaymentRate = "PaymentWithIdempotencyKey, RateLimit:PermitsPerSecond = server rate";

    /// <summary>The limiter variants: its refusals with <c>Retry-After</c> rounded up, and with none.</summary>
    public static IReadOnlyList<RetryAfterWriting> Servers { get; } = [RetryAfterWriting.RoundedUp, RetryAfterWriting.Absent];

    /// <summary>The setups compared, in the order the table lists them.</summary>
    public static IReadOnlyList<ClientSetup> Setups(int rate) =>
    [
        ContentionSetups.FixedSecondRetry,
        ContentionSetups.StandardHandler,
        new(PaymentDefaults, b => b.AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey)),
        new(PaymentRate, b => b.AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey), new Dictionary<string, string?>
        {
            ["RateLimit:PermitsPerSecond"] = rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }),
    ];

    public static string ServerName(RetryAfterWriting retryAfter) => $"ASP.NET Core fixed window, 429, {(retryAfter == RetryAfterWriting.Absent ? "no Retry-After" : "Retry-After rounded up")}";

    public static async Task<PaymentsResult> RunAsync(RetryAfterWriting retryAfter, ClientSetup setup, PaymentsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(settings);
        await using var api = await PaymentsApi.StartAsync(settings.Rate, retryAfter, settings.LostAnswers);
        using var host = ClientHost.Create("payments", setup, api.BaseAddress);
        var client = host.Client();

        var next = -1;
        var failed = new List<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(async _ =>
        {
            for (var payment = Interlocked.Increment(ref next); payment < settings.Payments; payment = Interlocked.Increment(ref next))
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, PaymentsApi.Path.TrimStart('/'))
                {
                    Content = new StringContent(PaymentsApi.Body(payment), Encoding.UTF8, "application/json"),
                };
                try
                {
                    using var response = await client.SendAsync(request);
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        Failed(payment);
                    }
                }
#pragma warning disable CA1031 // Whatever a client throws, the payment failed to its caller: that is what is counted.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Failed(payment);
                }
            }
        }));
        var completion = clock.Elapsed;

        var charges = api.Charges;
        var once = charges.Values.Count(n => n == 1);
        var more = charges.Values.Count(n => n > 1);
        var extra = charges.Values.Sum(n => Math.Max(0, n - 1));
        var failedButCharged = failed.Count(charges.ContainsKey);
        return new PaymentsResult(ServerName(retryAfter), setup.Name, settings.Payments, once, more, extra, failed.Count, failedButCharged, api.Calls, api.Refused, api.Conflicts, api.LostAnswers, completion);

        void Failed(int payment)
        {
            lock (failed)
            {
                failed.Add($"p-{payment}");
            }
        }
    }
}
