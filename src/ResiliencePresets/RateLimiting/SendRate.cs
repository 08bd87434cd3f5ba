namespace ResiliencePresets;

/// <summary>
/// The rate at which a client sends its attempts, counted in half-second buckets and smoothed across them (each new
/// bucket weighs 0.8), so that one quiet or busy half-second moves it but does not decide it. Not thread-safe: its
/// owner holds a lock.
/// </summary>
internal sealed class SendRate
{
    private const double Smoothing = 0.8;
    private static readonly long BucketTicks = TimeSpan.TicksPerSecond / 2;

    private long _bucket;
    private int _count;

    /// <param name="initial">The rate to start from, per second: an estimate made before the client counted.</param>
    /// <param name="now">When counting starts.</param>
    public SendRate(double initial, DateTimeOffset now)
    {
        PerSecond = initial;
        _bucket = now.UtcTicks / BucketTicks;
    }

    /// <summary>Gets the smoothed rate, per second.</summary>
    public double PerSecond { get; private set; }

    /// <summary>Counts one attempt sent at <paramref name="now"/>.</summary>
    public void Record(DateTimeOffset now)
    {
        var bucket = now.UtcTicks / BucketTicks;
        if (bucket > _bucket)
        {
            var seconds = (double)(bucket - _bucket) * BucketTicks / TimeSpan.TicksPerSecond;
            PerSecond = (Smoothing * (_count / seconds)) + ((1 - Smoothing) * PerSecond);
            (_bucket, _count) = (bucket, 0);
        }

        _count++;
    }
}
