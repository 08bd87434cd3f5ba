namespace ResiliencePresets;

/// <summary>
/// Why a call through a preset ended in a failure the preset will not send again: the reasons a caller of the service
/// that made the call should not retry it either.
/// </summary>
public enum GiveUpReason
{
    /// <summary>Every retry the preset allows was spent: <c>Retry:MaxRetryAttempts</c>, a status code's own limit, or the time left of <c>TotalTimeout</c>.</summary>
    RetriesExhausted,

    /// <summary>The client's retry budget refused the retry.</summary>
    RetryBudget,

    /// <summary>The client's circuit breaker was open, so the request was not sent.</summary>
    CircuitBreaker,

    /// <summary>The client was paused by its server for longer than the request had left, so the request was not sent.</summary>
    ClientPaused,

    /// <summary>The server asked for a wait longer than <c>Retry:MaxRetryAfter</c> or than the time left.</summary>
    ServerWaitTooLong,

    /// <summary>The server answered a status the preset retries and said not to retry it (<c>x-should-retry: false</c>).</summary>
    ServerSaidNoRetry,
}
