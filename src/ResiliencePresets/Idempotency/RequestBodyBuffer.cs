namespace ResiliencePresets;

/// <summary>
/// Makes a request body repeatable, so that every attempt sends the same bytes, streamed bodies included.
/// </summary>
internal static class RequestBodyBuffer
{
    public static Task EnsureRepeatableAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Byte-array bodies (string, form and byte-array content) and memory bodies already repeat exactly.
        if (request.Content is null or ByteArrayContent or ReadOnlyMemoryContent)
        {
            return Task.CompletedTask;
        }

        return request.Content.LoadIntoBufferAsync(cancellationToken);
    }
}
