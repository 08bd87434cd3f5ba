using System.Threading.RateLimiting;

namespace ResiliencePresets.Redis;

/// <summary>A permit of the shared bucket, or its refusal with when to try again.</summary>
internal sealed class PermitLease : RateLimitLease
{
    public static readonly PermitLease Granted = new(true, null);

    private static readonly string[] RetryAfterName = [MetadataName.RetryAfter.Name];

    private readonly TimeSpan? _retryAfter;

    private PermitLease(bool acquired, TimeSpan? retryAfter)
    {
        IsAcquired = acquired;
        _retryAfter = retryAfter;
    }

    public override bool IsAcquired { get; }

    public override IEnumerable<string> MetadataNames => _retryAfter is null ? [] : RetryAfterName;

    public static PermitLease Refused(TimeSpan? retryAfter) => new(false, retryAfter);

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = _retryAfter;
        return _retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
    }
}
