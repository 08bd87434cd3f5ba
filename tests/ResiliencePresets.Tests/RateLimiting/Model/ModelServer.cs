namespace ResiliencePresets.Tests.RateLimiting.Model;

/// <summary>
/// A rate limiter as a server runs it, in virtual time: admits or refuses each request by when it arrives, and names a
/// wait (whole seconds, as <c>Retry-After</c> carries it) or none. The algorithms are the ones the load simulation meets
/// for real (nginx's <c>limit_req</c>, System.Threading.RateLimiting's windows and bucket), reduced to their arithmetic
/// so that the learner's dynamics can be tested without a machine's timing in them.
/// </summary>
internal abstract class ModelServer
{
    /// <summary>Returns whether the request arriving at <paramref name="now"/> is admitted, and the wait a refusal names.</summary>
    public abstract (bool Admitted, int? RetryAfterSeconds) Arrive(TimeSpan now);

    /// <summary>nginx <c>limit_req</c>: the excess leaks at <c>rate</c> per second, accounted per millisecond; a request
    /// that would take it over <c>burst</c> is refused and changes nothing.</summary>
    public sealed class LeakyBucket(double rate, int burst, int? retryAfter) : ModelServer
    {
        private double _excess;
        private long _lastMs = long.MinValue;

        public override (bool, int?) Arrive(TimeSpan now)
        {
            // ngx_http_limit_req_lookup: a new node starts at excess 0; then excess = max(0, excess - rate * ms + 1).
            var ms = (long)now.TotalMilliseconds;
            if (_lastMs != long.MinValue)
            {
                var excess = Math.Max(0, _excess - (rate * (ms - _lastMs) / 1000) + 1);
                if (excess > burst)
                {
                    return (false, retryAfter);
                }

                _excess = excess;
            }

            _lastMs = ms;
            return (true, null);
        }
    }

    /// <summary>A fixed window of <c>rate</c> permits a second, its windows starting at <c>phase</c>; a refusal names the
    /// whole window rounded up (1 s), as the middleware writes its lease's wait, or no wait.</summary>
    public sealed class FixedWindow(int rate, TimeSpan phase, bool retryAfter) : ModelServer
    {
        private long _window = long.MinValue;
        private int _count;

        public override (bool, int?) Arrive(TimeSpan now)
        {
            var window = (long)Math.Floor((now - phase).TotalSeconds);
            if (window != _window)
            {
                (_window, _count) = (window, 0);
            }

            return ++_count <= rate ? (true, null) : (false, retryAfter ? 1 : null);
        }
    }

    /// <summary>A sliding window of <c>rate</c> permits a second in four segments: a permit comes back when its segment
    /// leaves the window; refusals name no wait.</summary>
    public sealed class SlidingWindow(int rate) : ModelServer
    {
        private readonly Queue<long> _segments = new();

        public override (bool, int?) Arrive(TimeSpan now)
        {
            var segment = (long)Math.Floor(now.TotalSeconds * 4);
            while (_segments.Count > 0 && _segments.Peek() <= segment - 4)
            {
                _segments.Dequeue();
            }

            if (_segments.Count >= rate)
            {
                return (false, null);
            }

            _segments.Enqueue(segment);
            return (true, null);
        }
    }

    /// <summary>A token bucket of <c>capacity</c> refilled at <c>rate</c> per second, continuously, starting full; its
    /// rate may change; refusals name no wait.</summary>
    public sealed class TokenBucket(double rate, double capacity) : ModelServer
    {
        private double _tokens = capacity;
        private TimeSpan _last;

        public double Rate { get; set; } = rate;

        public double Capacity { get; set; } = capacity;

        public override (bool, int?) Arrive(TimeSpan now)
        {
            _tokens = Math.Min(Capacity, _tokens + ((now - _last).TotalSeconds * Rate));
            _last = now;
            if (_tokens < 1)
            {
                return (false, null);
            }

            _tokens--;
            return (true, null);
        }
    }
}
