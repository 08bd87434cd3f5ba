namespace ResiliencePresets.Demo.Server;

/// <summary>
/// A per-key limit the way nginx's <c>limit_req</c> keeps it without <c>burst</c>: a request is admitted only when at
/// least <c>interval</c> has passed since the last one admitted; refused requests do not count. Not thread-safe: the
/// owning <see cref="ServerLedger"/> locks.
/// </summary>
internal sealed class SpacingLimiter(TimeSpan interval)
{
    private DateTimeOffset? _lastAdmitted;

    public bool TryAcquire(DateTimeOffset now)
    {
        if (_lastAdmitted is DateTimeOffset last && now - last < interval)
        {
            return false;
        }

        _lastAdmitted = now;
        return true;
    }
}
