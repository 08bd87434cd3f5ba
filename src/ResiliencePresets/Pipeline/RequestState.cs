using System.Runtime.CompilerServices;
using Microsoft.Extensions.ObjectPool;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// What one logical request has been through so far: when it started, which status codes caused retries, the verdict
/// of its latest attempt, and the retry planned for it.
/// </summary>
/// <remarks>
/// <para>Every request needs one, so they are pooled: <see cref="Rent"/> before the first attempt, <see cref="Return"/>
/// once the last attempt has ended.</para>
/// <para>The per-attempt protocol: the first strategy that asks about a finished attempt (the breaker, the pacing or the
/// retry, innermost first) has it read by <see cref="VerdictOf"/>; the others get the same verdict for the same outcome.
/// The retry's <c>ShouldHandle</c> decides once and records the decision with <see cref="Plan"/>; its
/// <c>DelayGenerator</c> and <c>OnRetry</c> read it back with <see cref="PlannedFor"/> for that same outcome. Both slots
/// are keyed by the attempt's response or exception, so a later attempt can never read an earlier one's.</para>
/// </remarks>
internal sealed class RequestState : IResettable
{
    // Looked up several times per attempt in Polly's string-keyed property bag: a short name hashes and compares in a
    // fraction of the time a long one takes.
    public static readonly ResiliencePropertyKey<RequestState> Key = new("rp.state");

    private static readonly RetryDecision Unplanned = RetryDecision.No("unplanned");

    private static readonly ObjectPool<RequestState> Pool = new DefaultObjectPool<RequestState>(new DefaultPooledObjectPolicy<RequestState>());

    private List<int>? _retriedStatusCodes;
    private StrongBox<int>? _meteredRetries;
    private object? _verdictOf;
    private AttemptVerdict _verdict;
    private object? _planOf;
    private RetryDecision _plan;
    private long _firstAttemptStart;
    private bool _historyShared;

    public RequestState()
    {
    }

    public RequestState(long startTimestamp) => StartTimestamp = startTimestamp;

    public long StartTimestamp { get; private set; }

    public static RequestState Rent(long startTimestamp)
    {
        var state = Pool.Get();
        state.StartTimestamp = startTimestamp;
        return state;
    }

    public static void Return(RequestState state) => Pool.Return(state);

    /// <summary>Returns the state of the request a strategy runs for; <see cref="RequestPreparation"/> sets it before the pipeline runs.</summary>
    public static RequestState Of(ResilienceContext context) => context.Properties.GetValue(Key, null!);

    /// <summary>Returns what is left of <paramref name="totalTimeout"/> since the request started: the one place it is computed.</summary>
    public TimeSpan TimeLeft(TimeSpan totalTimeout, TimeProvider timeProvider) => TimeLeft(totalTimeout, timeProvider, timeProvider.GetTimestamp());

    /// <summary>Returns what is left of <paramref name="totalTimeout"/> at <paramref name="now"/>, a timestamp the caller already read.</summary>
    public TimeSpan TimeLeft(TimeSpan totalTimeout, TimeProvider timeProvider, long now) => totalTimeout - timeProvider.GetElapsedTime(StartTimestamp, now);

    /// <summary>Returns the verdict of the attempt that ended with <paramref name="outcome"/>, reading it only the first time.</summary>
    public ref readonly AttemptVerdict VerdictOf(Outcome<HttpResponseMessage> outcome, AttemptInspector inspector)
    {
        var key = KeyOf(outcome);
        if (key is null || !ReferenceEquals(key, _verdictOf))
        {
            _verdict = inspector.Inspect(outcome);
            _verdictOf = key;
        }

        return ref _verdict;
    }

    /// <summary>Records the retry decision made for the attempt that ended with <paramref name="outcome"/>.</summary>
    public void Plan(Outcome<HttpResponseMessage> outcome, in RetryDecision decision)
    {
        _plan = decision;
        _planOf = KeyOf(outcome);
    }

    /// <summary>Returns the decision recorded for <paramref name="outcome"/>; a decision not to retry when none was.</summary>
    public ref readonly RetryDecision PlannedFor(Outcome<HttpResponseMessage> outcome)
    {
        if (KeyOf(outcome) is { } key && ReferenceEquals(key, _planOf))
        {
            return ref _plan;
        }

        return ref Unplanned;
    }

    /// <summary>
    /// Returns the state a hedge runs with: the same start and retry history, and verdict and plan slots of its own, as
    /// a hedge ends while another attempt of the request still runs. Hedges run inside the retry, so they never record
    /// a retry; the retry's next attempt may read whichever state won.
    /// </summary>
    public RequestState ForHedge()
    {
        _historyShared = true;
        return new(StartTimestamp) { _retriedStatusCodes = _retriedStatusCodes ??= [], _meteredRetries = _meteredRetries ??= new(), _historyShared = true };
    }

    /// <summary>
    /// Gets or sets when the attempt in progress got its permit from the client's learned rate;
    /// <see cref="DateTimeOffset.MinValue"/> while it has none. Set by the pacing, or by the configured bucket for an
    /// attempt that waited in it while the client began to throttle; read and cleared with
    /// <see cref="TakeAttemptMeteredAt"/> when the attempt ends (lifetime: one attempt).
    /// </summary>
    public DateTimeOffset AttemptMeteredAt { get; set; } = DateTimeOffset.MinValue;

    /// <summary>Returns and clears <see cref="AttemptMeteredAt"/>.</summary>
    public DateTimeOffset TakeAttemptMeteredAt()
    {
        var meteredAt = AttemptMeteredAt;
        AttemptMeteredAt = DateTimeOffset.MinValue;
        return meteredAt;
    }

    /// <summary>Records when the attempt that hedges may follow started (hedging; lifetime: one attempt).</summary>
    public void MarkAttemptStart(long timestamp) => Volatile.Write(ref _firstAttemptStart, timestamp);

    /// <summary>Returns and clears the start <see cref="MarkAttemptStart"/> recorded; 0 when none was.</summary>
    public long TakeAttemptStart() => Interlocked.Exchange(ref _firstAttemptStart, 0);

    public int RetriesFor(int statusCode)
    {
        var count = 0;
        foreach (var code in _retriedStatusCodes ?? [])
        {
            count += code == statusCode ? 1 : 0;
        }

        return count;
    }

    /// <summary>Gets how many of the request's retries the client's learned rate metered
    /// (<see cref="RetryDecision.MeteredByLearner"/>): they do not count against <c>Retry:MaxRetryAttempts</c>.</summary>
    public int MeteredRetries => _meteredRetries?.Value ?? 0;

    /// <summary>Records a retry about to be made: the status code that caused it, and whether the learned rate meters it.</summary>
    public void RecordRetry(int? statusCode, bool metered = false)
    {
        if (statusCode is int code)
        {
            (_retriedStatusCodes ??= []).Add(code);
        }

        if (metered)
        {
            (_meteredRetries ??= new()).Value++;
        }
    }

    public bool TryReset()
    {
        StartTimestamp = 0;
        (_verdictOf, _verdict, _planOf, _plan, _firstAttemptStart) = (null, default, null, default, 0);
        AttemptMeteredAt = DateTimeOffset.MinValue;

        // A list a hedge's state shares is left to it: a request that reuses this state starts a list of its own.
        if (_historyShared)
        {
            (_retriedStatusCodes, _meteredRetries, _historyShared) = (null, null, false);
        }

        _retriedStatusCodes?.Clear();
        if (_meteredRetries is not null)
        {
            _meteredRetries.Value = 0;
        }

        return true;
    }

    private static object? KeyOf(Outcome<HttpResponseMessage> outcome) => (object?)outcome.Result ?? outcome.Exception;
}
