namespace ResiliencePresets.Redis.Peer;

/// <summary>The system's time shifted by a fixed amount, as on a machine whose clock is off; timers run as usual.</summary>
public sealed class SkewedTimeProvider(TimeSpan skew) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + skew;
}
