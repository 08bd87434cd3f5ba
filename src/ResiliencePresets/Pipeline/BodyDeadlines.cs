namespace ResiliencePresets;

/// <summary>
/// Ends the reads that outlive their request's deadline, with one coarse timer for all of them: a read costs a link in a
/// list, not a timer of its own. The timer ticks every <see cref="Period"/> while reads are under way and stops once
/// none has been for a while. Lifetime: one per service provider.
/// </summary>
/// <param name="timeProvider">The clock of the deadlines and of the timer.</param>
internal sealed class BodyDeadlines(TimeProvider timeProvider) : IDisposable
{
    /// <summary>How often the deadlines are checked: a read ends at most this much after its deadline.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(250);

    // Ticks without a read before the timer stops, so that a steady trickle of requests does not start one each time.
    private const int IdleTicksBeforeStop = 40;

    private readonly object _lock = new();
    private BoundedRead? _first;
    private ITimer? _timer;
    private int _idleTicks;

    public TimeProvider TimeProvider => timeProvider;

    /// <summary>Starts a read that must end by <paramref name="deadline"/> (a <see cref="TimeProvider.GetTimestamp"/>), or when <paramref name="token"/> is canceled.</summary>
    public BoundedRead Start(long deadline, CancellationToken token)
    {
        var read = new BoundedRead(this, deadline, token);
        lock (_lock)
        {
            read.Next = _first;
            if (_first is not null)
            {
                _first.Previous = read;
            }

            _first = read;
            _idleTicks = 0;
            if (_timer is null)
            {
                // The timer must not hold on to the first reader's async locals.
                using (ExecutionContext.IsFlowSuppressed() ? default(AsyncFlowControl?) : ExecutionContext.SuppressFlow())
                {
                    _timer = timeProvider.CreateTimer(static state => ((BodyDeadlines)state!).Sweep(), this, Period, Period);
                }
            }
        }

        return read;
    }

    /// <summary>Removes a read that ended, whichever way.</summary>
    public void End(BoundedRead read)
    {
        lock (_lock)
        {
            if (read.Previous is null && _first != read)
            {
                return;
            }

            if (read.Previous is null)
            {
                _first = read.Next;
            }
            else
            {
                read.Previous.Next = read.Next;
            }

            if (read.Next is not null)
            {
                read.Next.Previous = read.Previous;
            }

            (read.Previous, read.Next) = (null, null);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Sweep()
    {
        var now = timeProvider.GetTimestamp();
        List<BoundedRead>? overdue = null;
        lock (_lock)
        {
            for (var read = _first; read is not null; read = read.Next)
            {
                if (read.Deadline <= now)
                {
                    (overdue ??= []).Add(read);
                }
            }

            if (_first is null && ++_idleTicks >= IdleTicksBeforeStop)
            {
                _timer?.Dispose();
                _timer = null;
            }
        }

        // Outside the lock: canceling runs the reads' own cancellation callbacks.
        foreach (var read in overdue ?? [])
        {
            read.Expire();
        }
    }
}
