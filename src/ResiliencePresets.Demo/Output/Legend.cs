using ResiliencePresets.Demo.Workload;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// What the columns of the results mean; the same words in every output.
/// </summary>
internal static class Legend
{
    public static IReadOnlyList<(string Column, string Meaning)> Columns { get; } =
    [
        ("Attempts", "requests that went over the wire, retries included (counted below the retry handler)"),
        ("429s", "rate-limit answers received: 429, and GitHub's 403 with X-RateLimit-Remaining: 0"),
        ("Waits honored", "retries that came no earlier than the server's retry-after-ms, X-RateLimit-Reset or Retry-After, of all retries after such an answer (timed at the server)"),
        ("Backoff", "retries after a failure that named no time, so the client chose the wait"),
        ("Unsafe retries", "requests retried that should not have been: a POST without one unchanged Idempotency-Key, or a 404"),
        ("Dup. charges", "charges made twice or more for one payment (counted at the server)"),
        ("Failed", "requests that ended without the answer they needed (for the missing repository, 404 is that answer)"),
        ("p50, p99", "time the application waited per request, retries included"),
    ];

    public static string Workload(int requests, int seed, TimeSpan interval) =>
        $"Each setup sends the same {requests} requests (seed {seed}), one every {Format.Latency(interval)}, to an embedded API on loopback: "
        + string.Join(", ", RequestPlan.Mix.Select(m => $"{m.Share}% {Describe(m.Endpoint)}"))
        + ". The application sets no Idempotency-Key; the setups run side by side, each with its own API key and quota.";

    private static string Describe(DemoEndpoint endpoint) => endpoint switch
    {
        DemoEndpoint.ChatCompletion => "chat completions (POST; 429 with retry-after-ms)",
        DemoEndpoint.Repository => "repository reads (GET; 403/429 with X-RateLimit-Reset)",
        DemoEndpoint.MissingRepository => "reads of a missing repository (404)",
        DemoEndpoint.Inventory => "inventory reads (GET; 503 with an HTTP-date Retry-After)",
        _ => "charges (POST; sometimes charged, then answered 500 or 503)",
    };
}
