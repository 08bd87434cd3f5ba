namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// One attempt as it left the client, below every retry handler.
/// </summary>
/// <param name="RequestId">The logical request it belongs to.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="IdempotencyKey">The idempotency key it carried, if any.</param>
/// <param name="StatusCode">The status code of its response; <see langword="null"/> when it ended with an exception.</param>
/// <param name="RateLimited">Whether the response said the rate limit is used up (429, or 403 with <c>X-RateLimit-Remaining: 0</c>).</param>
/// <param name="NamedWait">Whether the response named a time to retry at (<c>Retry-After</c>, <c>retry-after-ms</c>, <c>X-RateLimit-Reset</c>).</param>
public sealed record AttemptRecord(int RequestId, string Method, string? IdempotencyKey, int? StatusCode, bool RateLimited, bool NamedWait = false);
