namespace ResiliencePresets;

/// <summary>
/// The defaults of the built-in presets: the one place they are written down.
/// </summary>
internal static class BuiltInPresets
{
    public static IReadOnlyList<string> Names { get; } =
        [ResiliencePresetNames.ReadOnlyApi, ResiliencePresetNames.IdempotentWrite, ResiliencePresetNames.PaymentWithIdempotencyKey];

    public static bool Contains(string name) => Names.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// Creates a fresh options object holding a built-in preset's defaults.
    /// </summary>
    public static ResiliencePresetOptions Create(string name) => name switch
    {
        ResiliencePresetNames.ReadOnlyApi => ReadOnlyApi(),
        ResiliencePresetNames.IdempotentWrite => IdempotentWrite(),
        ResiliencePresetNames.PaymentWithIdempotencyKey => PaymentWithIdempotencyKey(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a built-in preset."),
    };

    // Safe methods only (RFC 9110 §9.2.1); the class defaults are this preset's.
    private static ResiliencePresetOptions ReadOnlyApi()
    {
        var options = new ResiliencePresetOptions();
        foreach (var method in (string[])["GET", "HEAD", "OPTIONS", "TRACE"])
        {
            options.Methods[method] = MethodRetryRule.Retry;
        }

        return options;
    }

    // Adds the idempotent writes (RFC 9110 §9.2.2); fewer retries, because a write that keeps failing rarely recovers.
    private static ResiliencePresetOptions IdempotentWrite()
    {
        var options = ReadOnlyApi();
        options.Methods["PUT"] = MethodRetryRule.Retry;
        options.Methods["DELETE"] = MethodRetryRule.Retry;
        options.Methods["POST"] = MethodRetryRule.WithIdempotencyKey;
        options.Methods["PATCH"] = MethodRetryRule.WithIdempotencyKey;
        options.Retry.MaxRetryAttempts = 2;
        options.Retry.MaxDelay = TimeSpan.FromSeconds(15);
        return options;
    }

    // Every unsafe request gets a key, so every method can be retried. Payment providers are slow and answer
    // 409 while the same key is still being processed, so the attempt is longer and 409 is retried.
    private static ResiliencePresetOptions PaymentWithIdempotencyKey()
    {
        var options = IdempotentWrite();
        options.Idempotency.AddMissingKey = true;
        options.StatusCodes[409] = StatusCodeRule.Retry;
        options.Retry.MaxRetryAttempts = 3;
        options.Retry.BaseDelay = TimeSpan.FromSeconds(2);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        options.AttemptTimeout = TimeSpan.FromSeconds(30);
        options.TotalTimeout = TimeSpan.FromMinutes(2);
        return options;
    }
}
