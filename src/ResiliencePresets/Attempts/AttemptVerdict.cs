namespace ResiliencePresets;

/// <summary>
/// What one finished attempt says, read once from its response or exception: every later question (is it a breaker
/// failure, does it pause the client, is it retried and after how long) is answered from this value, never from the
/// headers again.
/// </summary>
/// <remarks>Lifetime: one attempt. <see cref="AttemptInspector"/> makes it on first use; <see cref="RequestState"/> keeps
/// the verdict of the request's latest attempt, keyed by its response or exception.</remarks>
internal readonly record struct AttemptVerdict
{
    /// <summary>Gets the exception the attempt ended with, or <see langword="null"/> for a response.</summary>
    public Exception? Exception { get; init; }

    /// <summary>Gets what kind of transport failure <see cref="Exception"/> is.</summary>
    public TransportFailureKind Failure { get; init; }

    /// <summary>Gets the response's status code; 0 for an exception.</summary>
    public int StatusCode { get; init; }

    /// <summary>Gets the status code the table is consulted with: 429 for a 403 that is a rate limit.</summary>
    public int EffectiveStatusCode { get; init; }

    /// <summary>Gets the server's own verdict (<c>x-should-retry</c>, <c>Stripe-Should-Retry</c>) on an error response.</summary>
    public bool? ServerVerdict { get; init; }

    /// <summary>Gets the status table's rule for the response, after the server's verdict.</summary>
    public StatusCodeRule Rule { get; init; }

    /// <summary>Gets the wait the server named, explicit or from a spent quota's reset (explicit wins), if any.</summary>
    public RetryAfterValue? ServerWait { get; init; }

    /// <summary>Gets whether <see cref="ServerWait"/> came from an explicit wait header rather than a quota reset.</summary>
    public bool WaitIsExplicit { get; init; }

    /// <summary>Gets the requests the server still allows in its window, when it said.</summary>
    public long? QuotaRemaining { get; init; }

    /// <summary>Gets when that allowance resets, from <see cref="ReadAt"/>.</summary>
    public TimeSpan QuotaResetIn { get; init; }

    /// <summary>Gets the header that named the quota's reset.</summary>
    public string? QuotaHeader { get; init; }

    /// <summary>Gets the limit the response says its wait and quota belong to (GitHub's <c>x-ratelimit-resource</c>, the
    /// <c>RateLimit</c> field's policy name: <see cref="RateScopeName"/>), or <see langword="null"/> for the client's
    /// own scope.</summary>
    public string? Scope { get; init; }

    /// <summary>Gets the moment the wait and quota headers were read; default when there were none.</summary>
    public DateTimeOffset ReadAt { get; init; }

    /// <summary>Gets a value indicating whether the response carried any wait or quota header at all.</summary>
    public bool HasWaitHeaders { get; init; }

    /// <summary>Gets a value indicating whether a 503's remaining-quota header says nothing is left
    /// (<see cref="RateLimitHeaders.IsExhausted"/>), with or without a readable reset; read for 503s only (a 403 that
    /// says so is read as a 429: <see cref="EffectiveStatusCode"/>).</summary>
    public bool QuotaSpent { get; init; }

    /// <summary>Gets a value indicating whether the attempt ended with a response.</summary>
    public bool IsResponse => Exception is null;
}
