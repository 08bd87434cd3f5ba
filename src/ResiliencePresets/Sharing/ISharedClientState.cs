using System.Threading.RateLimiting;

namespace ResiliencePresets;

/// <summary>
/// One client's view of the state it shares with other processes: it tells them of the pauses this process learns,
/// and hands out the permits of one bucket for all of them. A failure of the shared store never reaches a request:
/// every member falls back to local behavior at once.
/// </summary>
internal interface ISharedClientState
{
    /// <summary>
    /// Gets a task that completes once the shared pause in force when the client joined is known, or once the shared
    /// store's timeout has passed; it never faults. A client's first attempt awaits it, so that a process started
    /// during a pause honors it.
    /// </summary>
    Task Ready { get; }

    /// <summary>Tells the other processes that a server paused this client for <paramref name="wait"/> from now;
    /// returns at once and never throws.</summary>
    void Paused(TimeSpan wait, ClientPauseReason reason);

    /// <summary>Creates the client's view of the one token bucket all processes share, at the preset's rate.</summary>
    RateLimiter Bucket(double permitsPerSecond, int burst, int queueLimit);

    /// <summary>
    /// Creates the client's view of the one bucket of the learned rate all processes share: one token, refilled at
    /// <paramref name="permitsPerSecond"/> as read at each lease (the learned rate of this process, or the pace of a
    /// quota it read before it throttled), so that the processes together send at that rate.
    /// <paramref name="sinceCut"/> says how long ago that rate was last lowered or set by a quota: the latest decrease
    /// of any process decides the rate of all. <paramref name="learner"/>, for the bucket of a learner (not a quota's
    /// pace), is told the rate of all (that of the process that cut last), and its decreases drop the permits leased
    /// before them.
    /// </summary>
    RateLimiter LearnedBucket(Func<double> permitsPerSecond, Func<TimeSpan> sinceCut, ISharedLearner? learner = null);

    /// <summary>Gets how many processes used the key lately (joined it, announced a pause, drew from a shared bucket), as
    /// the shared store last said; 1 before it said.</summary>
    int Instances { get; }
}
