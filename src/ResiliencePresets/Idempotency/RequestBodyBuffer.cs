namespace ResiliencePresets;

/// <summary>
/// Makes a request body repeatable, so that every attempt sends the same bytes, streamed bodies included.
/// </summary>
internal static class RequestBodyBuffer
{
    public static Task EnsureRepeatableAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => IsRepeatable(request) ? Task.CompletedTask : request.Content!.LoadIntoBufferAsync(cancellationToken);

    /// <summary>Returns whether the request's body, if any, already repeats exactly: the runtime's own byte-array bodies
    /// (string, form and byte-array content) and memory bodies do. A type derived from one of them is not taken on
    /// trust: it may write other bytes on each send (a body that signs itself with the time), so it is buffered.</summary>
    public static bool IsRepeatable(HttpRequestMessage request) => request.Content?.GetType() is not { } type
        || type == typeof(StringContent) || type == typeof(ByteArrayContent) || type == typeof(FormUrlEncodedContent) || type == typeof(ReadOnlyMemoryContent);
}
