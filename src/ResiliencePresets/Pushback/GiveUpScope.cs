namespace ResiliencePresets;

/// <summary>
/// Records the calls through presets that gave up (<see cref="GivenUpCall"/>) during one unit of work, such as one
/// request a service handles, so that the service can tell its own callers not to retry what its dependency has
/// already retried. ResiliencePresets.AspNetCore's <c>UseResiliencePresetsPushback()</c> begins one per request.
/// </summary>
/// <remarks>
/// The scope flows with the async flow that began it (an <see cref="AsyncLocal{T}"/>), so every call made while
/// handling the request, awaited or started from it, records into it. Outside a scope nothing is recorded, and a call
/// that succeeds never touches the scope. Thread-safe: concurrent calls may record at once.
/// </remarks>
public sealed class GiveUpScope : IDisposable
{
    private static readonly AsyncLocal<GiveUpScope?> Ambient = new();

    private readonly object _lock = new();
    private readonly GiveUpScope? _outer;
    private GivenUpCall? _last;
    private TimeSpan? _retryAfter;
    private volatile bool _ended;

    private GiveUpScope(GiveUpScope? outer) => _outer = outer;

    /// <summary>Gets the scope calls record into now; <see langword="null"/> outside one.</summary>
    public static GiveUpScope? Current => Ambient.Value;

    /// <summary>Gets the call that gave up last; <see langword="null"/> while none has.</summary>
    public GivenUpCall? Last => Volatile.Read(ref _last);

    /// <summary>Gets the longest wait named by any call that gave up in this scope; <see langword="null"/> when none named one.</summary>
    public TimeSpan? RetryAfter
    {
        get
        {
            lock (_lock)
            {
                return _retryAfter;
            }
        }
    }

    /// <summary>Begins a scope for the current async flow; dispose it to end it.</summary>
    public static GiveUpScope Begin()
    {
        var scope = new GiveUpScope(Ambient.Value);
        Ambient.Value = scope;
        return scope;
    }

    /// <summary>Ends the scope: calls made afterwards in this async flow record into the scope that was current before.</summary>
    public void Dispose()
    {
        _ended = true;
        if (ReferenceEquals(Ambient.Value, this))
        {
            Ambient.Value = _outer;
        }
    }

    internal static void Record(GivenUpCall call)
    {
        if (Ambient.Value is { _ended: false } scope)
        {
            scope.Add(call);
        }
    }

    private void Add(GivenUpCall call)
    {
        lock (_lock)
        {
            if (call.RetryAfter is { } wait && (_retryAfter is null || wait > _retryAfter))
            {
                _retryAfter = wait;
            }

            Volatile.Write(ref _last, call);
        }
    }
}
