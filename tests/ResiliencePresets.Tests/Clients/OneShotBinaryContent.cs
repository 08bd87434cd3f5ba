using System.ClientModel;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Clients;

/// <summary>
/// A System.ClientModel body that can be written once, as a caller's content that streams from a source it cannot
/// rewind does: the second write sends nothing.
/// </summary>
public sealed class OneShotBinaryContent(byte[] data) : BinaryContent
{
    private readonly ForwardOnlyStream _source = new(data);

    public override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    public override void WriteTo(Stream stream, CancellationToken cancellationToken = default) => _source.CopyTo(stream);

    public override Task WriteToAsync(Stream stream, CancellationToken cancellationToken = default) => _source.CopyToAsync(stream, cancellationToken);

    public override void Dispose() => _source.Dispose();
}
