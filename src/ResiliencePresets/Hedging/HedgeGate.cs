namespace ResiliencePresets;

/// <summary>
/// Decides whether a request may be hedged: sent a second time while its first attempt is still running.
/// </summary>
/// <remarks>
/// Only a safe method (GET, HEAD, OPTIONS, TRACE) that the preset retries (<see cref="MethodRetryRule.Retry"/>), with
/// no body, and without the preset's idempotency key header (a second request carrying the same key while the first
/// runs earns a 409). Two copies of such a request in flight at once mean the same to the server as one.
/// </remarks>
internal static class HedgeGate
{
    public static bool MayHedge(HttpRequestMessage request, CompiledPreset preset)
        => request.Content is null
            && IdempotencyKeyStamp.IsSafe(request.Method)
            && preset.Methods.RuleFor(request.Method) == MethodRetryRule.Retry
            && !HasKeyHeader(request, preset.IdempotencyHeader);

    // Any value counts, blank or repeated: a header the caller set is never sent twice at once.
    private static bool HasKeyHeader(HttpRequestMessage request, string headerName)
        => request.Headers.NonValidated.Contains(headerName);
}
