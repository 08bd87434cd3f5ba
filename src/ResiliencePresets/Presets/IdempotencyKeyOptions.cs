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
    /// Gets or sets the header that carries the key. Valid: an HTTP header name.
    /// </summary>
    /// <value>Default: <c>Idempotency-Key</c>.</value>
    public string HeaderName { get; set; } = DefaultHeaderName;

    /// <summary>
    /// Gets or sets a value indicating whether a request whose method is not safe (anything but GET, HEAD, OPTIONS and
    /// TRACE) and that carries no key is given one: a new UUID, set once before the first attempt and sent unchanged on
    /// every retry. A key the caller set is never changed.
    /// </summary>
    /// <value>Default: <see langword="false"/>; <see langword="true"/> for PaymentWithIdempotencyKey.</value>
    public bool AddMissingKey { get; set; }
}
