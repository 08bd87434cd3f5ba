using System.Net;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Pays through a client the way an application would: one <see cref="HttpRequestMessage"/> per payment, kept after the
/// send, so that the key the preset stamped on it can be read whatever the outcome.
/// </summary>
public static class PaymentCaller
{
    /// <param name="client">The client.</param>
    /// <param name="payment">The payment.</param>
    /// <param name="ownKey">The caller's own key, or <see langword="null"/> to let the preset stamp one.</param>
    public static async Task<PaymentOutcome> PayAsync(HttpClient client, Payment payment, string? ownKey)
    {
        var body = payment.ToJson();
        using var request = new HttpRequestMessage(HttpMethod.Post, PaymentServer.ChargesPath)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (ownKey is not null)
        {
            request.Headers.Add(PaymentServer.KeyHeader, ownKey);
        }

        try
        {
            using var response = await client.SendAsync(request);
            return response.StatusCode == HttpStatusCode.Created
                ? new PaymentOutcome(payment, body, KeyOf(request), ownKey is not null, Charge.ReadChargeId(await response.Content.ReadAsStringAsync()), null)
                : new PaymentOutcome(payment, body, KeyOf(request), ownKey is not null, null, $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException)
        {
            return new PaymentOutcome(payment, body, KeyOf(request), ownKey is not null, null, e.GetType().Name);
        }
    }

    /// <summary>Sends a failed payment again, with the same key and the same body: how a caller reconciles it.</summary>
    public static Task<PaymentOutcome> ReconcileAsync(HttpClient client, PaymentOutcome failed)
    {
        ArgumentNullException.ThrowIfNull(failed.Key);
        return PayAsync(client, failed.Payment, failed.Key);
    }

    private static string? KeyOf(HttpRequestMessage request)
        => request.Headers.TryGetValues(PaymentServer.KeyHeader, out var values) ? values.Single() : null;
}
