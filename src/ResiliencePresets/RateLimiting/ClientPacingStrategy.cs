using Polly;

namespace ResiliencePresets;

/// <summary>
/// Holds each attempt of a client until the client's pause is over and its pacing slot has come, then learns from the
/// response: a 429 or 503 (or a 403 read as 429) with a server wait, or a spent quota, pauses the whole client (at most
/// <c>Retry:MaxRetryAfter</c>; an explicit wait header decides over the quota's reset), and remaining-quota headers set
/// the pacing.
/// </summary>
internal sealed class ClientPacingStrategy : ResilienceStrategy<HttpResponseMessage>
{
    // Spreads the requests released together at the end of a pause, as the retry decider spreads server waits.
    private const double PauseJitterShare = 0.1;
    private static readonly TimeSpan MaxPauseJitter = TimeSpan.FromSeconds(1);

    private readonly PresetPolicy _policy;
    private readonly ClientState _state;
    private readonly TimeProvider _timeProvider;
    private readonly PresetMetrics _metrics;
    private readonly Func<double> _random;

    public ClientPacingStrategy(PresetPolicy policy, ClientState state, TimeProvider timeProvider, PresetMetrics metrics, Func<double> random)
    {
        _policy = policy;
        _state = state;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _random = random;
    }

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var wait = TimeSpan.Zero;
        if (_state.Pause.IsSet || _state.Pacer.IsPacing)
        {
            var now = _timeProvider.GetUtcNow();
            var timeLeft = TimeLeft(context);
            var pause = _state.Pause.Remaining(now);
            if (pause > TimeSpan.Zero && pause >= timeLeft)
            {
                // Waiting could only end in the total timeout: say at once why the request is not sent.
                return Outcome.FromException<HttpResponseMessage>(Refusal(pause, timeLeft, now));
            }

            wait = HoldFor(now, pause, timeLeft);
        }

        if (wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(wait, _timeProvider, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
            }
            catch (OperationCanceledException e)
            {
                return Outcome.FromException<HttpResponseMessage>(e);
            }
        }

        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);

        // Every wait and quota form has a reset or wait header: a response with none teaches nothing.
        if (outcome.Result is HttpResponseMessage response && RetryAfterReader.HasWaitHeader(response.Headers.NonValidated))
        {
            Learn(response, _timeProvider.GetUtcNow());
        }

        return outcome;
    }

    private TimeSpan TimeLeft(ResilienceContext context)
        => context.Properties.GetValue(RetryState.Key, null!) is { } request
            ? _policy.TotalTimeout - _timeProvider.GetElapsedTime(request.StartTimestamp)
            : _policy.TotalTimeout;

    private ClientPausedException Refusal(TimeSpan pause, TimeSpan timeLeft, DateTimeOffset now)
    {
        var reason = _state.Pause.Reason ?? new ClientPauseReason(0, "(unknown)", "(unknown)", "(unknown)");
        return ClientPausedException.For(_policy.ClientName, reason, now + pause, pause, timeLeft < TimeSpan.Zero ? TimeSpan.Zero : timeLeft);
    }

    // The pause, jittered and padded within the time left, or the pacing slot, whichever is later.
    private TimeSpan HoldFor(DateTimeOffset now, TimeSpan pause, TimeSpan timeLeft)
    {
        if (pause > TimeSpan.Zero)
        {
            var room = (timeLeft - pause).Ticks;
            var jitter = Math.Min(Math.Min(pause.Ticks * PauseJitterShare, MaxPauseJitter.Ticks) * _random(), Math.Max(0, room - ServerWaitPadding.Padding.Ticks));
            pause += TimeSpan.FromTicks((long)jitter) + TimeSpan.FromTicks(Math.Min(ServerWaitPadding.Padding.Ticks, room));
        }

        // Pacing never holds an attempt longer than a server's wait would be honored.
        var slot = Capped(_state.Pacer.Reserve(now));
        return pause > slot ? pause : slot;
    }

    private void Learn(HttpResponseMessage response, DateTimeOffset now)
    {
        // An explicit wait (Retry-After and the millisecond headers) takes precedence over a spent quota's reset.
        var hasExplicitWait = RetryAfterReader.TryReadExplicit(response, now, out var explicitWait);
        if (RateLimitHeaders.TryReadQuota(response, now, out var remaining, out var resetIn))
        {
            if (remaining > 0)
            {
                _state.Pacer.Observe(remaining, resetIn, now);
            }
            else
            {
                Pause(now, hasExplicitWait ? explicitWait.Delay : resetIn, response, hasExplicitWait ? explicitWait.HeaderName : QuotaResetHeader(response));
            }
        }

        var status = StatusCodeClassifier.EffectiveStatusCode(response);
        if (status is 429 or 503 && RetryAfterReader.TryRead(response, now, out var serverWait))
        {
            Pause(now, serverWait.Delay, response, serverWait.HeaderName);
        }
    }

    private static string QuotaResetHeader(HttpResponseMessage response)
    {
        var headers = response.Headers.NonValidated;
        return headers.Contains(RateLimitHeaders.RateLimit) ? RateLimitHeaders.RateLimit
            : headers.Contains(RateLimitHeaders.RateLimitReset) ? RateLimitHeaders.RateLimitReset
            : RateLimitHeaders.XRateLimitReset;
    }

    private TimeSpan Capped(TimeSpan wait) => wait < _policy.MaxRetryAfter ? wait : _policy.MaxRetryAfter;

    private void Pause(DateTimeOffset now, TimeSpan wait, HttpResponseMessage response, string headerName)
    {
        if (_state.Pause.Extend(now, Capped(wait), ClientPauseReason.From(response, headerName)))
        {
            _metrics.Pause(_policy, (int)response.StatusCode);
        }
    }
}
