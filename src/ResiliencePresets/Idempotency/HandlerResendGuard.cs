namespace ResiliencePresets;

/// <summary>
/// Keeps the runtime's HTTP handler from sending a request again on its own when the preset must not send it twice.
/// </summary>
/// <remarks>
/// <para>
/// Over HTTP/1.1, when the server closes the connection cleanly before the first response byte, SocketsHttpHandler
/// resends the request, up to three times and whatever its method, on the assumption that the server closed an idle
/// connection without reading it. It does so for a request that has no body, and for one sent with
/// <c>Expect: 100-continue</c> whose body it was still holding back, waiting for 100 Continue (once the body has started,
/// after 100 Continue or after <c>SocketsHttpHandler.Expect100ContinueTimeout</c>, it does not). A server may instead
/// have acted on the request.
/// </para>
/// <para>
/// So an unsafe request the preset may not retry is changed in two ways. Without a body, it is given an empty one: for
/// POST, PUT and PATCH the bytes on the wire do not change (<c>Content-Length: 0</c> is sent either way); other methods
/// gain that header. With <c>Expect: 100-continue</c>, the expectation is removed, and the body follows the head at
/// once. The trade-off: a server that would refuse the request (401, 413) receives the whole body before it answers,
/// where 100-continue would have spared that upload. Any other <c>Expect</c> value is kept.
/// </para>
/// </remarks>
internal static class HandlerResendGuard
{
    public static void Apply(HttpRequestMessage request, MethodGate methods)
    {
        if (IdempotencyKeyStamp.IsSafe(request.Method) || methods.MayRetry(request, mayHaveReachedServer: true))
        {
            return;
        }

        request.Content ??= new ByteArrayContent([]);

        if (request.Headers.ExpectContinue == true)
        {
            request.Headers.ExpectContinue = false;
        }
    }
}
