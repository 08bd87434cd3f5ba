namespace ResiliencePresets;

/// <summary>
/// Gives an unsafe request that has no idempotency key a new one, once, before its first attempt.
/// </summary>
internal static class IdempotencyKeyStamp
{
    /// <summary>
    /// Adds a new UUID under <paramref name="headerName"/> when the request's method is not safe and the request has no
    /// such header. A key the caller set is left as it is.
    /// </summary>
    public static void Apply(HttpRequestMessage request, string headerName)
    {
        if (IsSafe(request.Method) || request.Headers.NonValidated.Contains(headerName))
        {
            return;
        }

        request.Headers.TryAddWithoutValidation(headerName, Guid.NewGuid().ToString("D"));
    }

    // RFC 9110 §9.2.1.
    internal static bool IsSafe(HttpMethod method)
        => method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace;
}
