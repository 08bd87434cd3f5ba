namespace ResiliencePresets;

/// <summary>
/// One read under a deadline (<see cref="BodyDeadlines"/>): its <see cref="Token"/> is canceled by the caller's token or
/// when the deadline passes, whichever comes first. Lifetime: one read; dispose it when the read ends.
/// </summary>
internal sealed class BoundedRead : IDisposable
{
    private readonly BodyDeadlines _deadlines;
    private readonly CancellationTokenSource _source = new();
    private readonly CancellationTokenRegistration _caller;
    private volatile bool _expired;

    public BoundedRead(BodyDeadlines deadlines, long deadline, CancellationToken token)
    {
        _deadlines = deadlines;
        Deadline = deadline;
        _caller = token.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
    }

    public long Deadline { get; }

    public CancellationToken Token => _source.Token;

    /// <summary>Gets whether the read was ended by its deadline (and not by the caller).</summary>
    public bool Expired => _expired;

    // The list BodyDeadlines keeps, under its lock.
    internal BoundedRead? Previous { get; set; }

    internal BoundedRead? Next { get; set; }

    public void Expire()
    {
        _expired = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The read ended while the deadline passed.
        }
    }

    public void Dispose()
    {
        _deadlines.End(this);
        _caller.Dispose();
        _source.Dispose();
    }
}
