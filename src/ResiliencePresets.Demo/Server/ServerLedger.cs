namespace ResiliencePresets.Demo.Server;

/// <summary>
/// What the embedded API saw from one API key (one client setup): every attempt, every wait it asked for and whether
/// the retry kept to it, and every charge it made. Thread-safe.
/// </summary>
public sealed class ServerLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, RequestTrack> _requests = [];
    private readonly Dictionary<string, string> _chargeByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _chargesByRequest = [];
    private readonly List<TimeSpan> _retryMargins = [];
    private int _attempts;
    private int _rateLimited;
    private int _toldToWait;
    private int _retriedOnTime;
    private int _retriedEarly;
    private int _retriedWithoutNamedWait;
    private int _charges;

    internal ServerLedger(ServerTiming timing)
    {
        Chat = new FixedWindowLimiter(timing.ChatWindow, timing.ChatLimit);
        Repository = new FixedWindowLimiter(TimeSpan.FromSeconds(timing.RepositoryWindowSeconds), timing.RepositoryLimit);
        Search = new SpacingLimiter(timing.SearchInterval);
    }

    /// <summary>Gets every request that reached the server, retries included.</summary>
    public int Attempts => Read(ref _attempts);

    /// <summary>Gets the responses that said the caller's rate limit is used up (429, and 403 with <c>X-RateLimit-Remaining: 0</c>).</summary>
    public int RateLimited => Read(ref _rateLimited);

    /// <summary>Gets the responses that named a time to retry at.</summary>
    public int ToldToWait => Read(ref _toldToWait);

    /// <summary>Gets the retries that arrived at or after the time the previous response named.</summary>
    public int RetriedOnTime => Read(ref _retriedOnTime);

    /// <summary>Gets the retries that arrived before the time the previous response named.</summary>
    public int RetriedEarly => Read(ref _retriedEarly);

    /// <summary>Gets the retries after a failure that named no time, so the client chose its own wait.</summary>
    public int RetriedWithoutNamedWait => Read(ref _retriedWithoutNamedWait);

    /// <summary>Gets the charges made.</summary>
    public int Charges => Read(ref _charges);

    /// <summary>Gets the charges made beyond the first for the same logical payment.</summary>
    public int DuplicateCharges
    {
        get
        {
            lock (_gate)
            {
                return _chargesByRequest.Values.Sum(count => Math.Max(0, count - 1));
            }
        }
    }

    /// <summary>Gets, for every retry of a response that named a time, how long after that time it arrived (negative: early).</summary>
    public IReadOnlyList<TimeSpan> RetryMargins
    {
        get
        {
            lock (_gate)
            {
                return [.. _retryMargins];
            }
        }
    }

    internal FixedWindowLimiter Chat { get; }

    internal FixedWindowLimiter Repository { get; }

    internal SpacingLimiter Search { get; }

    internal Lock Gate => _gate;

    /// <summary>Records an attempt and checks it against the wait the previous attempt was given.</summary>
    internal Arrival Arrive(int requestId, DateTimeOffset now)
    {
        lock (_gate)
        {
            _attempts++;
            if (!_requests.TryGetValue(requestId, out var track))
            {
                _requests[requestId] = track = new RequestTrack();
            }

            track.Attempts++;
            var early = false;
            if (track.NotBefore is DateTimeOffset notBefore)
            {
                var margin = now - notBefore;
                _retryMargins.Add(margin);
                early = margin < TimeSpan.Zero;
                _ = early ? _retriedEarly++ : _retriedOnTime++;
                track.NotBefore = null;
            }
            else if (track.Attempts > 1)
            {
                _retriedWithoutNamedWait++;
            }

            return new Arrival(track.Attempts, early);
        }
    }

    /// <summary>Records a refusal for the rate limit that names no time to retry at.</summary>
    internal void Refuse()
    {
        lock (_gate)
        {
            _rateLimited++;
        }
    }

    /// <summary>Records that the response to a request names <paramref name="notBefore"/> as the time to retry.</summary>
    internal void AskToWait(int requestId, DateTimeOffset notBefore, bool rateLimited)
    {
        lock (_gate)
        {
            _toldToWait++;
            _rateLimited += rateLimited ? 1 : 0;
            _requests[requestId].NotBefore = notBefore;
        }
    }

    /// <summary>Returns the charge an idempotency key already made, if any.</summary>
    internal string? ChargeFor(string? idempotencyKey)
    {
        lock (_gate)
        {
            return idempotencyKey is not null && _chargeByKey.TryGetValue(idempotencyKey, out var charge) ? charge : null;
        }
    }

    /// <summary>Makes a charge for a logical payment and remembers it under its idempotency key.</summary>
    internal string Charge(int requestId, string? idempotencyKey)
    {
        lock (_gate)
        {
            _charges++;
            _chargesByRequest[requestId] = _chargesByRequest.GetValueOrDefault(requestId) + 1;
            var charge = $"ch_{requestId:D4}_{_charges:D4}";
            if (idempotencyKey is not null)
            {
                _chargeByKey[idempotencyKey] = charge;
            }

            return charge;
        }
    }

    private int Read(ref int field)
    {
        lock (_gate)
        {
            return field;
        }
    }

    private sealed class RequestTrack
    {
        public int Attempts { get; set; }

        public DateTimeOffset? NotBefore { get; set; }
    }
}
