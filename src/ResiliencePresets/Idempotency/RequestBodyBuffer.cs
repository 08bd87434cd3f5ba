namespace ResiliencePresets;

/// <summary>
/// Makes a request body repeatable, so that every attempt sends the same bytes, streamed bodies included.
/// </summary>
internal static class RequestBodyBuffer
{
    public static Task EnsureRepeatableAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        => IsRepeatable(request) ? Task.CompletedTask : request.Content!.LoadIntoBufferAsync(cancellationToken);

    /// <summary>Returns whether the request's body, if any, already repeats exactly: byte-array bodies (string, form
    /// and byte-array content) and memory bodies do.</summary>
    public static bool IsRepeatable(HttpRequestMessage request) => request.Content is null or ByteArrayContent or ReadOnlyMemoryContent;
}
