namespace ResiliencePresets;

/// <summary>
/// What the server admitted in the last second: the client's answers that were not rate signals, counted in ten
/// buckets of 100 ms by when they came. While a client sends at or above its server's limit this is the limit itself,
/// which is what a decrease should start from; it is read only when the client could send throughout that second
/// (throttling, and not paused), since a pause in it would make the server look slower than it is. Not thread-safe:
/// its owner holds a lock.
/// </summary>
internal sealed class AdmittedRate
{
    private const int Buckets = 10;
    private static readonly long BucketTicks = TimeSpan.TicksPerSecond / Buckets;

    private readonly int[] _counts = new int[Buckets];
    private readonly long[] _epochs = new long[Buckets];

    /// <summary>Counts an answer that came at <paramref name="now"/>.</summary>
    public void Record(DateTimeOffset now)
    {
        var epoch = now.UtcTicks / BucketTicks;
        var i = (int)(epoch % Buckets);
        if (_epochs[i] != epoch)
        {
            (_epochs[i], _counts[i]) = (epoch, 0);
        }

        _counts[i]++;
    }

    /// <summary>Returns the answers of the second before <paramref name="now"/> (the current bucket and the nine before it).</summary>
    public int LastSecond(DateTimeOffset now)
    {
        var epoch = now.UtcTicks / BucketTicks;
        var total = 0;
        for (var i = 0; i < Buckets; i++)
        {
            if (_epochs[i] > epoch - Buckets && _epochs[i] <= epoch)
            {
                total += _counts[i];
            }
        }

        return total;
    }
}
