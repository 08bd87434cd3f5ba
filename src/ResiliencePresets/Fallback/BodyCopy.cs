using System.Buffers;

namespace ResiliencePresets;

/// <summary>
/// A bounded copy of a response body, taken as the caller reads it. It is handed on once the body has been read to its
/// end; a body that grows past the bound is dropped at that moment (and the caller reads on), and one not read to its
/// end is never handed on. Lifetime: one response.
/// </summary>
internal sealed class BodyCopy
{
    private readonly int _maxBytes;
    private readonly Action<byte[]> _onComplete;
    private readonly Action _onTooLarge;
    private ArrayBufferWriter<byte>? _bytes;
    private int _finished;

    public BodyCopy(int maxBytes, long? expectedLength, Action<byte[]> onComplete, Action onTooLarge)
    {
        _maxBytes = maxBytes;
        _onComplete = onComplete;
        _onTooLarge = onTooLarge;
        _bytes = new ArrayBufferWriter<byte>((int)Math.Clamp(expectedLength ?? 256, 1, Math.Max(maxBytes, 1)));
    }

    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (_bytes is not { } bytes || chunk.IsEmpty)
        {
            return;
        }

        if (bytes.WrittenCount + chunk.Length > _maxBytes)
        {
            _bytes = null;
            if (Interlocked.Exchange(ref _finished, 1) == 0)
            {
                _onTooLarge();
            }

            return;
        }

        bytes.Write(chunk);
    }

    /// <summary>The body has been read to its end.</summary>
    public void Complete()
    {
        if (_bytes is { } bytes && Interlocked.Exchange(ref _finished, 1) == 0)
        {
            _bytes = null;
            _onComplete(bytes.WrittenSpan.ToArray());
        }
    }

    /// <summary>The body will not be read to its end (disposed early, or its read failed).</summary>
    public void Abandon()
    {
        Interlocked.Exchange(ref _finished, 1);
        _bytes = null;
    }
}
