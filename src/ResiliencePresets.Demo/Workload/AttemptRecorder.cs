using System.Collections.Concurrent;
using ResiliencePresets.Demo.Server;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// The innermost handler of every client setup: sees each attempt exactly as it goes over the wire.
/// </summary>
public sealed class AttemptRecorder(ConcurrentQueue<AttemptRecord> attempts, Action onAttempt) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = int.Parse(request.Headers.GetValues(DemoHeaders.RequestId).Single(), System.Globalization.CultureInfo.InvariantCulture);
        var key = request.Headers.TryGetValues(DemoHeaders.IdempotencyKey, out var keys) ? keys.Single() : null;
        onAttempt();
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            attempts.Enqueue(new AttemptRecord(id, request.Method.Method, key, (int)response.StatusCode, IsRateLimited(response), NamesAWait(response)));
            return response;
        }
        catch
        {
            attempts.Enqueue(new AttemptRecord(id, request.Method.Method, key, null, false));
            throw;
        }
    }

    private static bool NamesAWait(HttpResponseMessage response)
        => response.Headers.Contains("Retry-After") || response.Headers.Contains("retry-after-ms") || response.Headers.Contains("X-RateLimit-Reset");

    private static bool IsRateLimited(HttpResponseMessage response)
        => (int)response.StatusCode == 429
            || ((int)response.StatusCode == 403 && response.Headers.TryGetValues("X-RateLimit-Remaining", out var remaining) && remaining.FirstOrDefault() == "0");
}
