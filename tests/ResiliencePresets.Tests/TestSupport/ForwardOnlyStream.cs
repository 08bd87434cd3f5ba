namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A body that can be read once, front to back, like a network or pipe stream; a second read returns nothing, so a
/// retry that re-reads it would send an empty body.
/// </summary>
public sealed class ForwardOnlyStream(byte[] data) : Stream
{
    private readonly MemoryStream _inner = new(data);

    public static byte[] Payload { get; } = Enumerable.Range(0, 70_000).Select(i => (byte)(i % 251)).ToArray();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
