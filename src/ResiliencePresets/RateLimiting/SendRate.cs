namespace ResiliencePresets;

/// <summary>
/// The rate at which a client sends its attempts while it may send, counted in half-second buckets of send time and smoothed across
/// them (each new bucket weighs 0.8), so that one quiet or busy half-second moves it but does not decide it. Time the
/// client was paused by its server (<see cref="Paused"/>) does not count: a client that sent 20 a second, was told to
/// wait a second and then sent 20 a second again sent at 20 a second, not at 10, so that a decrease after a pause
/// starts from the rate that met the limit and not from one the pause depressed. Not thread-safe: its owner holds a
/// lock.
/// </summary>
internal sealed class SendRate
{
    private const double Smoothing = 0.8;
    private static readonly long BucketTicks = TimeSpan.TicksPerSecond / 2;

    private long _bucketStart;
    private int _count;
    private long _pausedTicks;
    private long _pauseFromUtcTicks;
    private long _pauseUntilUtcTicks;

    /// <param name="initial">The rate to start from, per second: an estimate made before the client counted.</param>
    /// <param name="now">When counting starts.</param>
    public SendRate(double initial, DateTimeOffset now)
    {
        PerSecond = initial;
        _bucketStart = now.UtcTicks;
    }

    /// <summary>Gets the smoothed rate, per second.</summary>
    public double PerSecond { get; private set; }

    /// <summary>Counts one attempt sent at <paramref name="now"/>.</summary>
    public void Record(DateTimeOffset now)
    {
        // A bucket is half a second of send time from its first moment, so a pause in the middle of one does not
        // shorten the next.
        var sending = SendingTicks(now.UtcTicks);
        if (sending - _bucketStart >= BucketTicks)
        {
            var seconds = (double)(sending - _bucketStart) / TimeSpan.TicksPerSecond;
            PerSecond = (Smoothing * (_count / seconds)) + ((1 - Smoothing) * PerSecond);
            (_bucketStart, _count) = (sending, 0);
        }

        _count++;
    }

    /// <summary>Leaves the time from <paramref name="from"/> to <paramref name="until"/> out: the client was paused.</summary>
    public void Paused(DateTimeOffset from, DateTimeOffset until)
    {
        if (until.UtcTicks <= _pauseUntilUtcTicks)
        {
            return;
        }

        if (from.UtcTicks > _pauseUntilUtcTicks)
        {
            _pausedTicks += _pauseUntilUtcTicks - _pauseFromUtcTicks;
            _pauseFromUtcTicks = from.UtcTicks;
        }

        _pauseUntilUtcTicks = until.UtcTicks;
    }

    // The clock of the time the client could send: now, less every pause that is over or under way.
    private long SendingTicks(long now)
        => now - _pausedTicks - Math.Clamp(now - _pauseFromUtcTicks, 0, _pauseUntilUtcTicks - _pauseFromUtcTicks);
}
