namespace ResiliencePresets;

/// <summary>
/// Gives an unsafe request that has no idempotency key a new one, once, before its first attempt.
/// </summary>
internal static class IdempotencyKeyStamp
{
    /// <summary>
    /// Adds a new UUID under <paramref name="headerName"/> when the request's method is not safe and the request has no
    /// key (<see cref="IdempotencyKey"/>: no value, or only blank ones, in its headers or its content's). Blank values are
    /// removed first, so that the one key is the only value on the wire. A key the caller set is left as it is, where it
    /// is; a request with several keys gets no other one.
    /// </summary>
    public static void Apply(HttpRequestMessage request, string headerName)
    {
        if (IsSafe(request.Method))
        {
            return;
        }

        IdempotencyKey.RemoveBlankValues(request, headerName);
        if (IdempotencyKey.Read(request, headerName, out _) == IdempotencyKeyPresence.None)
        {
            request.Headers.TryAddWithoutValidation(headerName, Guid.NewGuid().ToString("D"));
        }
    }

    // RFC 9110 §9.2.1.
    internal static bool IsSafe(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace;
}
