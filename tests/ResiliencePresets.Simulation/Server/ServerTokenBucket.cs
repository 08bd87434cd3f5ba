namespace ResiliencePresets.Simulation.Server;

/// <summary>
/// The server's rate limit: a token bucket refilled continuously from the clock (no timer), so the server admits
/// exactly <c>rate</c> requests a second on average and at most <c>capacity</c> at once. It starts full; its rate
/// may change while it runs (<see cref="Change"/>), as a server's limit is raised or lowered.
/// </summary>
public sealed class ServerTokenBucket
{
    private readonly object _lock = new();
    private double _ratePerSecond;
    private double _capacity;
    private readonly TimeProvider _timeProvider;
    private double _tokens;
    private long _lastTimestamp;

    public ServerTokenBucket(double ratePerSecond, double capacity, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _ratePerSecond = ratePerSecond;
        _capacity = capacity;
        _timeProvider = timeProvider;
        _tokens = capacity;
        _lastTimestamp = timeProvider.GetTimestamp();
    }

    /// <summary>Changes the rate and the capacity from now on; tokens earned until now count at the old rate.</summary>
    public void Change(double ratePerSecond, double capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        lock (_lock)
        {
            Refill();
            (_ratePerSecond, _capacity) = (ratePerSecond, capacity);
            _tokens = Math.Min(_tokens, capacity);
        }
    }

    /// <summary>Takes one token when there is one, and reports the bucket's state after the attempt.</summary>
    public Admission TryTake()
    {
        lock (_lock)
        {
            Refill();
            var admitted = _tokens >= 1;
            if (admitted)
            {
                _tokens--;
            }

            var untilToken = admitted ? TimeSpan.Zero : TimeSpan.FromSeconds((1 - _tokens) / _ratePerSecond);
            var untilFull = TimeSpan.FromSeconds((_capacity - _tokens) / _ratePerSecond);
            return new Admission(admitted, (long)Math.Floor(_tokens), untilToken, untilFull);
        }
    }

    private void Refill()
    {
        var now = _timeProvider.GetTimestamp();
        _tokens = Math.Min(_capacity, _tokens + (_timeProvider.GetElapsedTime(_lastTimestamp, now).TotalSeconds * _ratePerSecond));
        _lastTimestamp = now;
    }
}
