using Polly.CircuitBreaker;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>Sends one request after another until the client's circuit breaker refuses one.</summary>
internal static class BreakerProbe
{
    /// <summary>
    /// Sends GET <paramref name="path"/> until the breaker opens or <paramref name="limit"/> requests were answered;
    /// <paramref name="answered"/> sees each answer. Returns the breaker's refusal, or <see langword="null"/> when it
    /// never opened.
    /// </summary>
    public static async Task<BrokenCircuitException?> SendUntilOpenAsync(HttpClient client, string path, int limit = 100, Action<HttpResponseMessage>? answered = null)
    {
        for (var sent = 0; sent < limit; sent++)
        {
            try
            {
                using var response = await client.GetAsync(path);
                answered?.Invoke(response);
            }
            catch (BrokenCircuitException e)
            {
                return e;
            }
        }

        return null;
    }
}
