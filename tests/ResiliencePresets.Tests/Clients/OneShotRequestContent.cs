using Azure.Core;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Clients;

/// <summary>An Azure.Core body that can be written once, as content streamed from a source that cannot rewind.</summary>
public sealed class OneShotRequestContent(byte[] data) : RequestContent
{
    private readonly ForwardOnlyStream _source = new(data);

    public override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    public override void WriteTo(Stream stream, CancellationToken cancellation) => _source.CopyTo(stream);

    public override Task WriteToAsync(Stream stream, CancellationToken cancellation) => _source.CopyToAsync(stream, cancellation);

    public override void Dispose() => _source.Dispose();
}
