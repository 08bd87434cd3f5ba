namespace ResiliencePresets;

/// <summary>
/// The names of the built-in presets.
/// </summary>
public static class ResiliencePresetNames
{
    /// <summary>
    /// Retries only safe methods (GET, HEAD, OPTIONS, TRACE); every other method is sent once.
    /// </summary>
    public const string ReadOnlyApi = nameof(ReadOnlyApi);

    /// <summary>
    /// Retries safe methods, PUT and DELETE; POST and PATCH only with an idempotency key or when the request never reached the server.
    /// </summary>
    public const string IdempotentWrite = nameof(IdempotentWrite);

    /// <summary>
    /// Stamps an idempotency key on every unsafe request that lacks one and retries every method with that same key.
    /// </summary>
    public const string PaymentWithIdempotencyKey = nameof(PaymentWithIdempotencyKey);
}
