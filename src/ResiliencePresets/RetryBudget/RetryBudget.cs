namespace ResiliencePresets;

/// <summary>
/// Counts a client's requests and retries over a sliding window and allows a retry only while the retries stay within
/// the budget: below <c>MinRetries</c>, or below <c>MaxRetryRatio</c> × requests.
/// </summary>
/// <remarks>
/// The window is kept as ten buckets, so it slides in tenths. One instance is shared by every request of a client.
/// </remarks>
internal sealed class RetryBudget
{
    private const int Buckets = 10;

    private readonly TimeProvider _timeProvider;
    private readonly long _bucketTicks;
    private readonly long[] _epochs = new long[Buckets];
    private readonly int[] _requests = new int[Buckets];
    private readonly int[] _retries = new int[Buckets];
    private readonly object _lock = new();
    private long _preparedEpoch = long.MinValue;

    public RetryBudget(double maxRetryRatio, int minRetries, TimeSpan window, TimeProvider timeProvider)
    {
        MaxRetryRatio = maxRetryRatio;
        MinRetries = minRetries;
        Window = window;
        _timeProvider = timeProvider;
        _bucketTicks = Math.Max(1, window.Ticks / Buckets);
        Array.Fill(_epochs, long.MinValue);
    }

    public double MaxRetryRatio { get; }

    public int MinRetries { get; }

    public TimeSpan Window { get; }

    /// <summary>Counts one logical request (its first attempt).</summary>
    public void RecordRequest()
    {
        // Within the bucket prepared last, without the lock: a bucket is cleared only once it has left the window.
        var epoch = Epoch();
        if (Volatile.Read(ref _preparedEpoch) == epoch)
        {
            Interlocked.Increment(ref _requests[(int)(epoch % Buckets)]);
            return;
        }

        lock (_lock)
        {
            Interlocked.Increment(ref _requests[Bucket()]);
        }
    }

    /// <summary>Takes one retry from the budget when it allows one; otherwise reports the counts that refused it.</summary>
    public bool TryAcquireRetry(out int retries, out int requests)
    {
        lock (_lock)
        {
            var current = Bucket();
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
        lock (_lock)
        {
            var now = _timeProvider.GetUtcNow().UtcTicks;
            var current = Bucket();
            var (attempts, oldest) = (0L, _epochs[current]);
            for (var i = 0; i < Buckets; i++)
            {
                if (_epochs[i] != long.MinValue && _requests[i] + _retries[i] > 0)
                {
                    attempts += _requests[i] + _retries[i];
                    oldest = Math.Min(oldest, _epochs[i]);
                }
            }

            var spanTicks = Math.Max(_bucketTicks, now - (oldest * _bucketTicks));
            return attempts * (double)TimeSpan.TicksPerSecond / spanTicks;
        }
    }

    // Returns the bucket of the current time, first clearing every bucket that has left the window.
    private long Epoch() => _timeProvider.GetUtcNow().UtcTicks / _bucketTicks;

    private int Bucket()
    {
        var epoch = Epoch();
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
