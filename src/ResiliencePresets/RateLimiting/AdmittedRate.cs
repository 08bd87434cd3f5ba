namespace ResiliencePresets;

/// <summary>
/// What the server admitted and refused lately: the client's answers, counted in 100 ms buckets over the last two
/// seconds. A server admits at most about its limit over any span (more only by its burst, or by a window boundary
/// inside the span), so while the client sends well over it (many refusals in the span) this is the limit, not the
/// rate the client sent at. Not thread-safe: its owner holds a lock.
/// </summary>
internal sealed class AdmittedRate
{
    /// <summary>The shortest span that says anything: shorter, one burst decides it.</summary>
    public static readonly TimeSpan MinSpan = TimeSpan.FromMilliseconds(500);

    /// <summary>The fewest admissions that say anything.</summary>
    public const int MinCount = 4;

    private const int Buckets = 20;
    private static readonly long BucketTicks = TimeSpan.TicksPerSecond / 10;

    private readonly int[] _counts = new int[Buckets];
    private readonly int[] _refused = new int[Buckets];
    private readonly long[] _epochs = new long[Buckets];

    /// <summary>Counts an answer that came at <paramref name="now"/>: admitted, or a rate signal.</summary>
    public void Record(DateTimeOffset now, bool admitted = true)
    {
        var epoch = now.UtcTicks / BucketTicks;
        var i = (int)(epoch % Buckets);
        if (_epochs[i] != epoch)
        {
            (_epochs[i], _counts[i], _refused[i]) = (epoch, 0, 0);
        }

        if (admitted)
        {
            _counts[i]++;
        }
        else
        {
            _refused[i]++;
        }
    }

    /// <summary>
    /// Returns the answers admitted and refused from <paramref name="since"/> (at most two seconds back) to
    /// <paramref name="now"/>, in whole buckets, and that span.
    /// </summary>
    public (int Admitted, int Refused, TimeSpan Span) Since(DateTimeOffset since, DateTimeOffset now)
    {
        var last = now.UtcTicks / BucketTicks;
        var first = Math.Min(last, Math.Max(since.UtcTicks / BucketTicks, last - Buckets + 1));
        var (admitted, refused) = (0, 0);
        for (var i = 0; i < Buckets; i++)
        {
            if (_epochs[i] >= first && _epochs[i] <= last)
            {
                (admitted, refused) = (admitted + _counts[i], refused + _refused[i]);
            }
        }

        return (admitted, refused, TimeSpan.FromTicks((last - first + 1) * BucketTicks));
    }
}
