namespace ResiliencePresets;

/// <summary>
/// What a request carries under its idempotency key header, as <see cref="IdempotencyKey.Read"/> finds it.
/// </summary>
internal enum IdempotencyKeyPresence
{
    /// <summary>No value, or only blank ones: the request has no key.</summary>
    None,

    /// <summary>Exactly one value that is not blank: the request's key.</summary>
    One,

    /// <summary>Two or more values that are not blank, equal or not: no single key, so none that a retry may rely on.</summary>
    Several,
}
