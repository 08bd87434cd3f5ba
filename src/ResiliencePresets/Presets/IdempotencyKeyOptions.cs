namespace ResiliencePresets;

/// <summary>
/// The idempotency key a preset reads and, for payments, sends. Configuration section: <c>Idempotency</c>.
/// </summary>
public sealed class IdempotencyKeyOptions
{
    /// <summary>
    /// The header name of the IETF Idempotency-Key draft, used by Stripe, Adyen and most payment APIs.
    /// </summary>
    public const string DefaultHeaderName = "Idempotency-Key";

    /// <summary>
    /// Gets or sets the header that carries the key. Valid: an HTTP header name. The key is read from the request's
    /// headers and from its content's headers; a blank value is no key, and two or more values are no single key.
    /// </summary>
    /// <value>Default: <c>Idempotency-Key</c>.</value>
    public string HeaderName { get; set; } = DefaultHeaderName;

    /// <summary>
    /// Gets or sets a value indicating whether a request whose method is not safe (anything but GET, HEAD, OPTIONS and
    /// TRACE) and that carries no key is given one: a new UUID, set once before the first attempt and sent unchanged on
    /// every retry. Blank values of the header count as no key and are removed, so that the one key is the only value
    /// sent. A key the caller set, in the request's headers or its content's, is never changed; a request with two or
    /// more keys is given no other one.
    /// </summary>
    /// <value>Default: <see langword="false"/> (ReadOnlyApi, IdempotentWrite), <see langword="true"/> (PaymentWithIdempotencyKey).</value>
    public bool AddMissingKey { get; set; }
}
