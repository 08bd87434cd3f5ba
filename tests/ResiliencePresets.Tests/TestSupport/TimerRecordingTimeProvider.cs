using Microsoft.Extensions.Time.Testing;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>A fake clock that also records, in order, every due time a timer is created or changed with.</summary>
public sealed class TimerRecordingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Found)> _waiters = [];

    public List<TimeSpan> Timers { get; } = [];

    /// <summary>Returns a task that completes with the due time of the next timer created or changed that matches.</summary>
    public Task<TimeSpan> NextTimer(Func<TimeSpan, bool> match)
    {
        var found = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Timers)
        {
            _waiters.Add((match, found));
        }

        return found.Task;
    }

    /// <summary>Gets a copy of the due times recorded so far.</summary>
    public TimeSpan[] Snapshot()
    {
        lock (Timers)
        {
            return [.. Timers];
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Record(dueTime);
        return new RecordingTimer(base.CreateTimer(callback, state, dueTime, period), this);
    }

    private void Record(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (Timers)
            {
                Timers.Add(dueTime);
                foreach (var waiter in _waiters.Where(w => w.Match(dueTime)).ToList())
                {
                    _waiters.Remove(waiter);
                    waiter.Found.TrySetResult(dueTime);
                }
            }
        }
    }

    private sealed class RecordingTimer(ITimer inner, TimerRecordingTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Record(dueTime);
            return inner.Change(dueTime, period);
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
