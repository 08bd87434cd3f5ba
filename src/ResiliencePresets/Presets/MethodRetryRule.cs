namespace ResiliencePresets;

/// <summary>
/// Whether requests with a given HTTP method may be sent more than once.
/// </summary>
public enum MethodRetryRule
{
    /// <summary>
    /// Sent once, whatever happens. The default for a method a preset does not list.
    /// </summary>
    Never,

    /// <summary>
    /// Retried after any transient failure: the method is safe or idempotent (RFC 9110 §9.2).
    /// </summary>
    Retry,

    /// <summary>
    /// Retried after any transient failure when the request carries the preset's idempotency key header with exactly one
    /// value that is not blank (in the request's headers or its content's); without such a key, retried only when the
    /// failure proves the request never reached the server (connection refused, DNS failure).
    /// </summary>
    WithIdempotencyKey,
}
