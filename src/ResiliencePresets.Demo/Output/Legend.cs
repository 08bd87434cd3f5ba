using ResiliencePresets.Demo.Workload;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// What the columns of the results mean; the same words in every output.
/// </summary>
internal static class Legend
{
    public static IReadOnlyList<(string Column, string Meaning)> Columns { get; } =
    [
        ("Failed", "requests that ended without the answer they needed (for the missing repository, 404 is that answer); (N breaker): N of them ended refused by the client's open circuit breaker (BrokenCircuitException), on the first attempt or a retry"),
        ("Not sent", "failed requests that made not one attempt: refused by the client itself (its breaker, its pause or its rate limit)"),
        ("Attempts", "requests that went over the wire, retries included (counted below the retry handler): Requests − Not sent + Retries"),
        ("Retries", "attempts beyond the first of each request"),
        ("429s", "rate-limit answers received: 429, and GitHub's 403 with X-RateLimit-Remaining: 0"),
        ("No-wait 429s", "the search API's bare 429s (no Retry-After, no quota headers), first half of the requests → second half: fewer later means the client learned the limit (or its breaker refused the requests: see Failed)"),
        ("Search rate", "the rate the search client paced its attempts at when the run ended, learned from those 429s (the library's resiliencepresets.client.learned_rate gauge); the server allows one search per 500 ms (2/s) by default; – when the client did not throttle"),
        ("Waits honored", "retries that came no earlier than the server's retry-after-ms, X-RateLimit-Reset or Retry-After, of all retries after such an answer (timed at the server)"),
        ("Unsafe retries", "requests retried that should not have been: a POST without one unchanged Idempotency-Key, or a 404"),
        ("Dup. charges", "charges made twice or more for one payment (counted at the server)"),
        ("p50, p99", "time the application waited per request, retries included"),
    ];

    public static string Workload(int requests, int seed, TimeSpan interval) =>
        $"Each setup sends the same {requests} requests (seed {seed}), one every {Format.Latency(interval)}, to an embedded API on loopback: "
        + string.Join(", ", RequestPlan.Mix.Select(m => $"{m.Share}% {Describe(m.Endpoint)}"))
        + ". Each setup registers one client per API (openai, github, inventory, payments, search), as applications do, so a "
        + "rate limit or an outage of one API holds back only that API's client. The application sets no Idempotency-Key; "
        + $"the setups run side by side, each with its own API key and quota; all jitter is drawn from seed {seed}.";

    private static string Describe(DemoEndpoint endpoint) => endpoint switch
    {
        DemoEndpoint.ChatCompletion => "chat completions (POST; 429 with retry-after-ms)",
        DemoEndpoint.Repository => "repository reads (GET; 403/429 with X-RateLimit-Reset)",
        DemoEndpoint.MissingRepository => "reads of a missing repository (404)",
        DemoEndpoint.Inventory => "inventory reads (GET; 503 with an HTTP-date Retry-After)",
        DemoEndpoint.Search => "searches (GET; a bare 429 that names no wait when two come closer than its limit allows)",
        _ => "charges (POST; sometimes charged, then answered 500 or 503)",
    };
}
