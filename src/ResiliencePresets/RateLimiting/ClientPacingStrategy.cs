using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// Holds each attempt of a client until the pauses of its scopes are over and their pacing slots have come, then learns
/// from the response: a 429 or 503 (or a 403 read as 429) with a server wait, or a spent quota, pauses the response's
/// scope (at most <c>Retry:MaxRetryAfter</c>; an explicit wait header decides over the quota's reset), and
/// remaining-quota headers set its pacing. Which scopes hold a request and which one a response teaches is
/// <see cref="RateScopes"/>' rule: the authority's, narrowed to a limit the server named. Rate signals teach the
/// client's <see cref="RateLearner"/>; once the client throttles, every attempt waits for the learned bucket, in its
/// request's arrival order, and an authority's pause holds that bucket (a named limit's pause and pacing still hold the
/// requests of that limit only). A client that shares (<see cref="ClientRuntime.Shared"/>) keeps to an authority's
/// quota pace through the key's shared learned bucket instead of its own slots, so that the processes of an account
/// together keep to the account's pace.
/// </summary>
internal sealed class ClientPacingStrategy : ResilienceStrategy<HttpResponseMessage>
{
    // The slowest a shared pace refills at: one request per 1,000 s, as the learner's slowest quota rate.
    private const double MinSharedPace = 0.001;

    private readonly CompiledPreset _preset;
    private readonly ClientRuntime _state;
    private readonly RateLearner? _learner;
    private readonly TimeProvider _timeProvider;
    private readonly PresetMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Func<double> _random;
    private readonly Func<double> _estimate;
    private readonly AttemptInspector _inspector;

    public ClientPacingStrategy(CompiledPreset preset, ClientRuntime state, RateLearner? learner, TimeProvider timeProvider, PresetMetrics metrics, ILogger logger, Func<double> random, AttemptInspector inspector)
    {
        _inspector = inspector;
        _preset = preset;
        _state = state;
        _learner = learner;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _random = random;
        _estimate = state.RecentAttemptsPerSecond;
    }

    // Not an async method: an attempt that nothing holds (no pause, no pacing, no learned rate, the shared state ready)
    // and that completes at once runs without a state machine of its own.
    protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        // The one volatile read a client that never met a rate signal adds.
        var flags = _learner?.Flags ?? 0;
        if ((flags & RateLearner.EngagedFlag) != 0 || _state.Scopes.IsEngaged || _state.Shared?.Ready is { IsCompleted: false })
        {
            return ExecuteHeldAsync(callback, context, state);
        }

        var sending = callback(context, state);
        return sending.IsCompletedSuccessfully
            ? new(Learned(context, sending.Result, flags))
            : LearnWhenDoneAsync(sending, context, flags);
    }

    private async ValueTask<Outcome<HttpResponseMessage>> LearnWhenDoneAsync(ValueTask<Outcome<HttpResponseMessage>> sending, ResilienceContext context, int flags)
        => Learned(context, await sending.ConfigureAwait(context.ContinueOnCapturedContext), flags);

    private async ValueTask<Outcome<HttpResponseMessage>> ExecuteHeldAsync<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        if (_state.Shared?.Ready is { IsCompleted: false } ready)
        {
            // Only a client's first attempts, and never longer than Shared:Timeout: the pause other processes are under.
            await ready.ConfigureAwait(context.ContinueOnCapturedContext);
        }

        var flags = _learner?.Flags ?? 0;
        var throttling = (flags & RateLearner.EngagedFlag) != 0;
        var wait = TimeSpan.Zero;
        RateLimiter? sharedPace = null;
        if (_state.Scopes.IsEngaged)
        {
            var (authority, limits) = _state.Scopes.For(RequestUri(context, null));
            if (authority is not null || limits.Length > 0)
            {
                var now = _timeProvider.GetUtcNow();
                var timeLeft = TimeLeft(context);
                var (pause, pausedBy) = LongestPause(authority, limits, now);
                if (pause > TimeSpan.Zero && pause >= timeLeft)
                {
                    // Waiting could only end in the total timeout: say at once why the request is not sent.
                    return Outcome.FromException<HttpResponseMessage>(Refusal(pausedBy!, pause, timeLeft, now));
                }

                if (throttling)
                {
                    // The host's pause and pacing are the learned bucket's (below); a named limit's stay its own.
                    (pause, _) = LongestPause(null, limits, now);
                    authority = null;
                }
                else if (authority is not null && SharedPace(authority, now) is { } bucket)
                {
                    // The host's pacing is the shared bucket's (below), after the pause; a named limit's stays its own.
                    sharedPace = bucket;
                    authority = null;
                }

                wait = HoldFor(now, pause, timeLeft, authority, limits);
            }
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

        if (sharedPace is not null && await WaitForSharedPace(sharedPace, context).ConfigureAwait(context.ContinueOnCapturedContext) is { } stopped)
        {
            return stopped;
        }

        if (throttling)
        {
            if (await WaitForLearnedRate(_learner!, context).ConfigureAwait(context.ContinueOnCapturedContext) is { } canceled)
            {
                return canceled;
            }

            RequestState.Of(context).AttemptMeteredAt = _learner!.Sent(_timeProvider.GetUtcNow());
        }

        return Learned(context, await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext), flags);
    }

    /// <summary>
    /// Holds an attempt that has just left the configured bucket's queue (<c>RateLimit:PermitsPerSecond</c>, below this
    /// strategy) to what changed while it waited there: a pause of its scopes that began meanwhile (a server's wait, a
    /// spent quota) is waited out, or refuses the attempt at once when it would outlast the time left; and if the client
    /// began to throttle, the attempt waits for the learned rate, as if it had come after the first rate signal (an
    /// attempt the learned rate already metered is not metered twice). Without this, the attempts queued in the
    /// configured bucket, up to <c>RateLimit:QueueLimit</c> of them, would be sent at the configured rate through a
    /// pause and past the learned rate.
    /// </summary>
    /// <exception cref="OperationCanceledException">The request was canceled while it waited.</exception>
    /// <exception cref="ClientPausedException">A pause began that outlasts the request's time left.</exception>
    public async ValueTask HoldAfterQueueAsync(ResilienceContext context)
    {
        if (_state.Scopes.IsEngaged)
        {
            var (authority, limits) = _state.Scopes.For(RequestUri(context, null));
            var now = _timeProvider.GetUtcNow();
            var (pause, pausedBy) = LongestPause(authority, limits, now);
            if (pause > TimeSpan.Zero)
            {
                var timeLeft = TimeLeft(context);
                if (pause >= timeLeft)
                {
                    throw Refusal(pausedBy!, pause, timeLeft, now);
                }

                await Task.Delay(ServerWaitSpread.Apply(pause, jitterRoom: timeLeft, paddingRoom: timeLeft, _random()), _timeProvider, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
            }
        }

        var request = RequestState.Of(context);
        if (_learner is not { IsEngaged: true } learner || request.AttemptMeteredAt != DateTimeOffset.MinValue)
        {
            return;
        }

        if (await WaitForLearnedRate(learner, context).ConfigureAwait(context.ContinueOnCapturedContext) is { Exception: { } canceled })
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(canceled).Throw();
        }

        request.AttemptMeteredAt = learner.Sent(_timeProvider.GetUtcNow());
    }

    // The attempt was sent when the learned rate let it go (RequestState.AttemptMeteredAt: set by the pacing, or by
    // HoldAfterQueueAsync after the configured bucket); DateTimeOffset.MinValue for one sent before the client throttled.
    private Outcome<HttpResponseMessage> Learned(ResilienceContext context, Outcome<HttpResponseMessage> outcome, int flags)
    {
        var request = RequestState.Of(context);
        var sentAt = request.TakeAttemptMeteredAt();

        // Every wait and quota form has a reset or wait header: a response with none teaches the scopes nothing (a limit
        // it names has no pause or pace to hold by), and the learner only its successes. The verdict is usually the
        // breaker's, already read.
        if (outcome.Result is HttpResponseMessage response)
        {
            ref readonly var verdict = ref request.VerdictOf(outcome, _inspector);
            if (_learner is not null && (flags != 0 || sentAt != DateTimeOffset.MinValue || RateSignal.IsRateSignal(verdict)))
            {
                Teach(_learner, verdict, sentAt);
            }

            if (verdict.HasWaitHeaders)
            {
                Learn(verdict, response, RequestUri(context, response));
            }
        }

        return outcome;
    }

    // The learned bucket holds every attempt of a throttling client, in its request's arrival order, while its host is
    // paused (a pause set while it waits included), then one interval after the last: a pause is released at the
    // learned rate, never all at once.
    private async ValueTask<Outcome<HttpResponseMessage>?> WaitForLearnedRate(RateLearner learner, ResilienceContext context)
    {
        // The learner engages (its flag) a moment before its bucket exists: an attempt that read the flag in between
        // goes as it would have a moment earlier, instead of failing its request.
        if (learner.Limiter is not { } limiter)
        {
            return null;
        }

        var host = _state.Scopes.Learn(RequestUri(context, null), name: null).Pause;
        try
        {
            var acquiring = limiter.AcquireAsync(RequestState.Of(context).StartTimestamp, context.CancellationToken, host);
            if (!acquiring.IsCompleted)
            {
                _metrics.Throttled(_preset);
            }

            using var lease = await acquiring.ConfigureAwait(context.ContinueOnCapturedContext);

            // Shared: the processes of the key together stay at the learned rate; never refused, Redis gone or not. A
            // bucket a reload retired (the key changed) lets its request go.
            if (learner.SharedBucket is { } shared)
            {
                try
                {
                    using var sharedLease = await shared.AcquireAsync(1, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
                }
                catch (ObjectDisposedException)
                {
                }
            }

            return null;
        }
        catch (OperationCanceledException e)
        {
            return Outcome.FromException<HttpResponseMessage>(e);
        }
    }

    // Shared, a quota's pace is the account's: while its window lasts, the processes of the key draw from one bucket at
    // that pace (the learned rate's, which a client that throttles waits for in its place). Local with a
    // Retry:MaxRetryAfter of 0, which honors no pace.
    private RateLimiter? SharedPace(RateScope authority, DateTimeOffset now)
        => _state.Shared is { } shared && authority.Pacer.Holds(now) && _preset.MaxRetryAfter > TimeSpan.Zero
            ? authority.Pacer.SharedBucket(shared, Math.Max(1 / _preset.MaxRetryAfter.TotalSeconds, MinSharedPace), _timeProvider)
            : null;

    // Never refused, Redis gone or not; a bucket retired by a reload (the key changed) lets its request go.
    private static async ValueTask<Outcome<HttpResponseMessage>?> WaitForSharedPace(RateLimiter bucket, ResilienceContext context)
    {
        try
        {
            using var lease = await bucket.AcquireAsync(1, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (ObjectDisposedException)
        {
        }
        catch (OperationCanceledException e)
        {
            return Outcome.FromException<HttpResponseMessage>(e);
        }

        return null;
    }

    private void Teach(RateLearner learner, in AttemptVerdict verdict, DateTimeOffset sentAt)
    {
        switch (learner.Observe(verdict, sentAt, _estimate))
        {
            case ThrottlingChange.Started:
                Log.ThrottlingStarted(_logger, _preset.ClientName, learner.Rate ?? 0, verdict);
                break;
            case ThrottlingChange.Stopped:
                Log.ThrottlingStopped(_logger, _preset.ClientName, RateLearner.QuietPeriod);
                break;
        }
    }

    private TimeSpan TimeLeft(ResilienceContext context) => RequestState.Of(context).TimeLeft(_preset.TotalTimeout, _timeProvider);

    private static (TimeSpan Pause, RateScope? By) LongestPause(RateScope? authority, RateScope[] limits, DateTimeOffset now)
    {
        var (longest, by) = authority is null ? (TimeSpan.Zero, null) : (authority.Pause.Remaining(now), authority);
        foreach (var limit in limits)
        {
            if (limit.Pause.Remaining(now) is var remaining && remaining > longest)
            {
                (longest, by) = (remaining, limit);
            }
        }

        return (longest, by);
    }

    private ClientPausedException Refusal(RateScope scope, TimeSpan pause, TimeSpan timeLeft, DateTimeOffset now)
    {
        var reason = scope.Pause.Reason ?? new ClientPauseReason(0, "(unknown)", "(unknown)", "(unknown)");
        return ClientPausedException.For(_preset.ClientName, reason, now + pause, pause, timeLeft < TimeSpan.Zero ? TimeSpan.Zero : timeLeft);
    }

    // The pause, spread like every server wait (ServerWaitSpread) within the time left, or the latest pacing slot of the
    // request's scopes, whichever is later. Each scope that paces gives the request a slot.
    private TimeSpan HoldFor(DateTimeOffset now, TimeSpan pause, TimeSpan timeLeft, RateScope? authority, RateScope[] limits)
    {
        if (pause > TimeSpan.Zero)
        {
            pause = ServerWaitSpread.Apply(pause, jitterRoom: timeLeft, paddingRoom: timeLeft, _random());
        }

        var slot = authority is { Pacer.IsPacing: true } ? authority.Pacer.Reserve(now) : TimeSpan.Zero;
        foreach (var limit in limits)
        {
            if (limit.Pacer.IsPacing && limit.Pacer.Reserve(now) is var limitSlot && limitSlot > slot)
            {
                slot = limitSlot;
            }
        }

        // Pacing never holds an attempt longer than a server's wait would be honored.
        slot = Capped(slot);
        return pause > slot ? pause : slot;
    }

    // The request as the pipeline sends it, so that a response teaches the scope its next request is looked up by, even
    // when a handler below redirected it elsewhere.
    private static Uri? RequestUri(ResilienceContext context, HttpResponseMessage? response)
        => context.GetRequestMessage()?.RequestUri ?? response?.RequestMessage?.RequestUri;

    private void Learn(in AttemptVerdict verdict, HttpResponseMessage response, Uri? uri)
    {
        var pacesOrPauses = verdict.QuotaRemaining is not null || ServerWaitRule.PausesClient(verdict);
        if (!pacesOrPauses && verdict.Scope is null)
        {
            return;
        }

        // A named limit is remembered for the request's path even when this response teaches it nothing yet.
        var scope = _state.Scopes.Learn(uri, verdict.Scope);
        if (verdict.QuotaRemaining is long remaining)
        {
            if (remaining > 0)
            {
                scope.Pacer.Observe(remaining, verdict.QuotaResetIn, verdict.ReadAt);
            }
            else if (verdict is { WaitIsExplicit: true, ServerWait: { } explicitWait })
            {
                // An explicit wait (Retry-After and the millisecond headers) takes precedence over a spent quota's reset.
                Pause(scope, verdict.ReadAt, explicitWait.Delay, response, explicitWait.HeaderName);
            }
            else
            {
                Pause(scope, verdict.ReadAt, verdict.QuotaResetIn, response, verdict.QuotaHeader!);
            }
        }

        if (ServerWaitRule.PausesClient(verdict))
        {
            Pause(scope, verdict.ReadAt, verdict.ServerWait!.Value.Delay, response, verdict.ServerWait.Value.HeaderName);
        }
    }

    private TimeSpan Capped(TimeSpan wait) => wait < _preset.MaxRetryAfter ? wait : _preset.MaxRetryAfter;

    private void Pause(RateScope scope, DateTimeOffset now, TimeSpan wait, HttpResponseMessage response, string headerName)
    {
        var reason = ClientPauseReason.From(response, headerName, scope.Name);
        if (scope.Pause.Extend(now, Capped(wait), reason))
        {
            _metrics.Pause(_preset, (int)response.StatusCode);
            _state.Shared?.Paused(Capped(wait), reason);
        }
    }
}
