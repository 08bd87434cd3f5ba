namespace ResiliencePresets;

/// <summary>
/// Keeps the runtime's HTTP handler from sending a request again on its own when the preset must not send it twice.
/// </summary>
/// <remarks>
/// Over HTTP/1.1, when the server closes the connection cleanly before the first response byte, SocketsHttpHandler
/// resends a request that has no body, up to three times and whatever its method, on the assumption that the server
/// closed an idle connection without reading the request. A server may instead have acted on it. A request with a body
/// is never resent this way, so an unsafe request the preset may not retry is given an empty one. For POST, PUT and
/// PATCH the bytes on the wire do not change (<c>Content-Length: 0</c> is sent either way); other methods gain that header.
/// </remarks>
internal static class HandlerResendGuard
{
    public static void Apply(HttpRequestMessage request, MethodGate methods)
    {
        if (request.Content is null && !IdempotencyKeyStamp.IsSafe(request.Method) && !methods.MayRetry(request, mayHaveReachedServer: true))
        {
            request.Content = new ByteArrayContent([]);
        }
    }
}
