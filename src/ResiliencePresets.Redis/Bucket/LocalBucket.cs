namespace ResiliencePresets.Redis;

/// <summary>
/// The fallback while Redis cannot be reached: the same bucket as <see cref="LeaseScript"/>, kept in this process on
/// its own clock, at the shared rate and size divided by the instances last seen sharing it (at least one permit).
/// </summary>
internal sealed class LocalBucket
{
    private readonly object _lock = new();
    private double _tokens = double.NaN;
    private DateTimeOffset _at;

    public LeaseGrant Lease(DateTimeOffset now, double permitsPerSecond, double size, int wanted, TimeSpan horizon)
    {
        lock (_lock)
        {
            if (double.IsNaN(_tokens))
            {
                _tokens = size;
            }
            else if (now > _at)
            {
                _tokens = Math.Min(size, _tokens + ((now - _at).TotalSeconds * permitsPerSecond));
            }

            _tokens = Math.Min(_tokens, size);
            _at = now;
            var granted = (int)Math.Clamp(Math.Floor(_tokens + (horizon.TotalSeconds * permitsPerSecond)), 0, wanted);
            var before = _tokens;
            _tokens -= granted;
            return new LeaseGrant(now, before, granted, permitsPerSecond);
        }
    }
}
