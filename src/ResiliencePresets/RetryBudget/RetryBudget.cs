namespace ResiliencePresets;

/// <summary>
/// Counts a client's requests and retries over a sliding window and allows a retry only while the retries stay within
/// the budget: below <c>MinRetries</c>, or below <c>MaxRetryRatio</c> × requests.
/// </summary>
/// <remarks>
/// The window is kept as ten buckets, so it slides in tenths. One instance is shared by every request of a client.
/// Time is the <see cref="TimeProvider.GetTimestamp"/> a caller already read for its request or decision, so that
/// counting costs no reading of the clock of its own. A timestamp older than the newest tenth counted (its caller was
/// descheduled between reading and counting) is counted in that newest tenth: time never moves the buckets back.
/// </remarks>
internal sealed class RetryBudget
{
    private const int Buckets = 10;

    private readonly TimeProvider _timeProvider;
    private readonly long _bucketTimestamps;
    private readonly long[] _epochs = new long[Buckets];
    private readonly int[] _requests = new int[Buckets];
    private readonly int[] _retries = new int[Buckets];
    private readonly object _lock = new();
    private long _preparedEpoch = long.MinValue;
    private long _newestEpoch = long.MinValue;

    public RetryBudget(double maxRetryRatio, int minRetries, TimeSpan window, TimeProvider timeProvider)
    {
        MaxRetryRatio = maxRetryRatio;
        MinRetries = minRetries;
        Window = window;
        _timeProvider = timeProvider;
        _bucketTimestamps = Math.Max(1, (long)(Math.Max(1, window.Ticks / Buckets) * (double)timeProvider.TimestampFrequency / TimeSpan.TicksPerSecond));
        Array.Fill(_epochs, long.MinValue);
    }

    public double MaxRetryRatio { get; }

    public int MinRetries { get; }

    public TimeSpan Window { get; }

    /// <summary>Counts one logical request (its first attempt), now.</summary>
    public void RecordRequest() => RecordRequest(_timeProvider.GetTimestamp());

    /// <summary>Counts one logical request (its first attempt) that started at <paramref name="timestamp"/>.</summary>
    public void RecordRequest(long timestamp)
    {
        // Within the bucket prepared last, without the lock: a bucket is cleared only once it has left the window.
        var epoch = Epoch(timestamp);
        if (Volatile.Read(ref _preparedEpoch) == epoch)
        {
            Interlocked.Increment(ref _requests[(int)(epoch % Buckets)]);
            return;
        }

        lock (_lock)
        {
            Interlocked.Increment(ref _requests[Bucket(epoch)]);
        }
    }

    /// <summary>Takes one retry from the budget when it allows one now; otherwise reports the counts that refused it.</summary>
    public bool TryAcquireRetry(out int retries, out int requests) => TryAcquireRetry(_timeProvider.GetTimestamp(), out retries, out requests);

    /// <summary>Takes one retry from the budget when it allows one at <paramref name="timestamp"/>; otherwise reports
    /// the counts that refused it.</summary>
    public bool TryAcquireRetry(long timestamp, out int retries, out int requests)
    {
        var epoch = Epoch(timestamp);
        lock (_lock)
        {
            var current = Bucket(epoch);
            (retries, requests) = (0, 0);
            for (var i = 0; i < Buckets; i++)
            {
                retries += _retries[i];
                requests += _requests[i];
            }

            if (retries < MinRetries || retries < MaxRetryRatio * requests)
            {
                _retries[current]++;
                retries++;
                return true;
            }

            return false;
        }
    }

    /// <summary>
    /// Returns the client's attempts (requests and retries) per second over the part of the window that holds any, and
    /// at least one tenth of the window: the estimate a rate learner starts from.
    /// </summary>
    public double AttemptsPerSecond()
    {
        var now = _timeProvider.GetTimestamp();
        lock (_lock)
        {
            var current = Bucket(Epoch(now));
            var (attempts, oldest) = (0L, _epochs[current]);
            for (var i = 0; i < Buckets; i++)
            {
                if (_epochs[i] != long.MinValue && _requests[i] + _retries[i] > 0)
                {
                    attempts += _requests[i] + _retries[i];
                    oldest = Math.Min(oldest, _epochs[i]);
                }
            }

            var span = Math.Max(_bucketTimestamps, now - (oldest * _bucketTimestamps));
            return attempts * (double)_timeProvider.TimestampFrequency / span;
        }
    }

    private long Epoch(long timestamp) => timestamp / _bucketTimestamps;

    // Returns the index of the bucket of epoch, first clearing every bucket that has left the window. An epoch older than
    // the newest one seen is the newest: its own bucket may hold a later tenth by now, which resetting would erase.
    private int Bucket(long epoch)
    {
        epoch = _newestEpoch = Math.Max(epoch, _newestEpoch);
        for (var i = 0; i < Buckets; i++)
        {
            if (_epochs[i] != long.MinValue && _epochs[i] <= epoch - Buckets)
            {
                (_epochs[i], _requests[i], _retries[i]) = (long.MinValue, 0, 0);
            }
        }

        var index = (int)(epoch % Buckets);
        if (_epochs[index] != epoch)
        {
            (_epochs[index], _requests[index], _retries[index]) = (epoch, 0, 0);
        }

        Volatile.Write(ref _preparedEpoch, epoch);
        return index;
    }
}
