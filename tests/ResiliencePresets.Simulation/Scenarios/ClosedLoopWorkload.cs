using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// Closed-loop workers sharing one client: each takes the next request number and sends <c>GET items/{n}</c>,
/// relative to the client's base address, until all are sent. What a caller got when it was not a success is counted
/// by its status code or its exception's type; <c>observe</c>, when given, sees each such exception.
/// </summary>
public static class ClosedLoopWorkload
{
    public static async Task<(IReadOnlyDictionary<string, int> Failures, TimeSpan Elapsed)> RunAsync(HttpClient client, int workers, int requests, string pathPrefix = "items", Action<Exception>? observe = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var next = 0;
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            await Task.Yield();
            int n;
            while ((n = Interlocked.Increment(ref next)) <= requests)
            {
                if (await FailureAsync(client, new Uri($"{pathPrefix}/{n.ToString(CultureInfo.InvariantCulture)}", UriKind.Relative), observe) is string failure)
                {
                    failures.AddOrUpdate(failure, 1, (_, count) => count + 1);
                }
            }
        }));
        return (failures.ToDictionary(), clock.Elapsed);
    }

    // Returns what the caller got when it was not a success: the status code, or the exception's type.
    private static async Task<string?> FailureAsync(HttpClient client, Uri path, Action<Exception>? observe)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.IsSuccessStatusCode ? null : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
#pragma warning disable CA1031 // Whatever the setup throws (rejection, broken circuit, timeout) is a failure returned to the caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            observe?.Invoke(e);
            return e.GetType().Name;
        }
    }
}
