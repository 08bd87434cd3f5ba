namespace ResiliencePresets;

/// <summary>
/// The learner behind the shared bucket of a learned rate (<see cref="ISharedClientState.LearnedBucket"/>), as that
/// bucket sees it: what it drops, and whom it tells of the rate of all processes.
/// </summary>
internal interface ISharedLearner
{
    /// <summary>Gets how long ago this process last lowered its rate on a rate signal (not a quota read, not another
    /// process's cut): permits leased before then were earned at the rate that met the limit, and are dropped.</summary>
    TimeSpan SinceDecrease { get; }

    /// <summary>Takes the rate of all processes, and the age of its latest cut, as this process's own; told after each
    /// lease the shared store answered to a process that is not the rate's owner.</summary>
    /// <param name="sharedRate">The shared rate, per second.</param>
    /// <param name="sinceCut">How long ago, on the shared store's clock, it was last lowered.</param>
    void AdoptShared(double sharedRate, TimeSpan sinceCut);

    /// <summary>Learns how many processes share the key, as the shared store counted them at a lease it answered.</summary>
    void Leased(int instances);
}
