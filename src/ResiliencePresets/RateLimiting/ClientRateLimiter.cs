using System.Threading.RateLimiting;

namespace ResiliencePresets;

/// <summary>
/// A client's token bucket, kept alive until the last pipeline and the last request that use it have finished, so that
/// a configuration change never disposes a bucket that a request in flight is waiting on.
/// </summary>
/// <remarks>
/// Lifetime: from the first pipeline built with its settings until it is <see cref="Retire">retired</see> (its settings
/// changed, or the client's state was disposed) and no holder is left. Each pipeline holds it from its build until
/// Polly disposes that pipeline; each request holds it from its first attempt until its last.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Disposed by its last holder through Retire and Release, not by an owner.")]
internal sealed class ClientRateLimiter
{
    private readonly object _lock = new();
    private readonly RateLimiter _limiter;
    private int _holders;
    private bool _retired;
    private bool _disposed;

    /// <summary>A bucket of this process, or the view of the bucket shared with other processes when <paramref name="shared"/> is set.</summary>
    public ClientRateLimiter(double permitsPerSecond, int burst, int queueLimit, ISharedClientState? shared = null)
    {
        Settings = (permitsPerSecond, burst, queueLimit);
        Shared = shared;
        _limiter = shared?.Bucket(permitsPerSecond, burst, queueLimit) ?? new TokenBucketRateLimiter(TokenBucketSettings.Options(permitsPerSecond, burst, queueLimit));
    }

    public RateLimiter Limiter => _limiter;

    public (double PermitsPerSecond, int Burst, int QueueLimit) Settings { get; }

    /// <summary>Gets the shared state whose bucket this is; <see langword="null"/> for a bucket of this process alone.</summary>
    public ISharedClientState? Shared { get; }

    public void Retain()
    {
        lock (_lock)
        {
            _holders++;
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _holders--;
            DisposeIfUnused();
        }
    }

    /// <summary>Marks the bucket as replaced: it is disposed as soon as nothing holds it.</summary>
    public void Retire()
    {
        lock (_lock)
        {
            _retired = true;
            DisposeIfUnused();
        }
    }

    private void DisposeIfUnused()
    {
        if (_retired && _holders <= 0 && !_disposed)
        {
            _disposed = true;
            _limiter.Dispose();
        }
    }
}
