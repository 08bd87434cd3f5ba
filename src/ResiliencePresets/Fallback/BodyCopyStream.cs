namespace ResiliencePresets;

/// <summary>
/// The stream a caller reads a kept response's body through: every byte read from the server's stream is handed to
/// the caller as it arrives, unbuffered, and appended to the <see cref="BodyCopy"/> on the way.
/// </summary>
internal sealed class BodyCopyStream : Stream
{
    private readonly Stream _inner;
    private readonly BodyCopy _copy;

    public BodyCopyStream(Stream inner, BodyCopy copy)
    {
        _inner = inner;
        _copy = copy;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = _inner.Read(buffer);
        }
        catch
        {
            _copy.Abandon();
            throw;
        }

        return Seen(buffer[..read], asked: buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _copy.Abandon();
            throw;
        }

        return Seen(buffer.Span[..read], asked: buffer.Length);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _copy.Abandon();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // Zero bytes for a non-empty buffer is the end of the body.
    private int Seen(ReadOnlySpan<byte> read, int asked)
    {
        if (read.IsEmpty)
        {
            if (asked > 0)
            {
                _copy.Complete();
            }
        }
        else
        {
            _copy.Append(read);
        }

        return read.Length;
    }
}
