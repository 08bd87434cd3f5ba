using System.Buffers;
using System.Net;

namespace ResiliencePresets;

/// <summary>
/// Stands in for a kept response's content so that its body is copied (up to <c>Fallback:MaxBodyBytes</c>) as the
/// caller reads it, whether HttpClient buffers it (<c>ResponseContentRead</c>, the default) or the caller streams it
/// (<c>ResponseHeadersRead</c>): the bytes reach the caller as they arrive, nothing is read ahead, and a body the
/// caller stops reading is never read further. The content headers are the server's.
/// </summary>
internal sealed class BodyCopyContent : HttpContent
{
    private const int ChunkSize = 16 * 1024;

    private readonly HttpContent _inner;
    private readonly BodyCopy _copy;

    public BodyCopyContent(HttpContent inner, BodyCopy copy)
    {
        _inner = inner;
        _copy = copy;
        foreach (var (name, values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                int read;
                while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await stream.WriteAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        using var source = CreateContentReadStream(cancellationToken);
        source.CopyTo(stream, ChunkSize);
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        => new BodyCopyStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _copy);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => new BodyCopyStream(_inner.ReadAsStream(cancellationToken), _copy);

    // The server's Content-Length, when it sent one, is among the copied headers.
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _copy.Abandon();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
