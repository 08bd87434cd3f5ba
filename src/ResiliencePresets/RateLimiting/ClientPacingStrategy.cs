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
    private readonly CompiledPreset _preset;
    private readonly ClientRuntime _state;
    private readonly TimeProvider _timeProvider;
    private readonly PresetMetrics _metrics;
    private readonly Func<double> _random;
    private readonly AttemptInspector _inspector;

    public ClientPacingStrategy(CompiledPreset preset, ClientRuntime state, TimeProvider timeProvider, PresetMetrics metrics, Func<double> random, AttemptInspector inspector)
    {
        _inspector = inspector;
        _preset = preset;
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

        // Every wait and quota form has a reset or wait header: a response with none teaches nothing. The verdict is
        // usually the breaker's, already read.
        if (outcome.Result is HttpResponseMessage response)
        {
            ref readonly var verdict = ref RequestState.Of(context).VerdictOf(outcome, _inspector);
            if (verdict.HasWaitHeaders)
            {
                Learn(verdict, response);
            }
        }

        return outcome;
    }

    private TimeSpan TimeLeft(ResilienceContext context) => RequestState.Of(context).TimeLeft(_preset.TotalTimeout, _timeProvider);

    private ClientPausedException Refusal(TimeSpan pause, TimeSpan timeLeft, DateTimeOffset now)
    {
        var reason = _state.Pause.Reason ?? new ClientPauseReason(0, "(unknown)", "(unknown)", "(unknown)");
        return ClientPausedException.For(_preset.ClientName, reason, now + pause, pause, timeLeft < TimeSpan.Zero ? TimeSpan.Zero : timeLeft);
    }

    // The pause, spread like every server wait (ServerWaitSpread) within the time left, or the pacing slot, whichever is later.
    private TimeSpan HoldFor(DateTimeOffset now, TimeSpan pause, TimeSpan timeLeft)
    {
        if (pause > TimeSpan.Zero)
        {
            pause = ServerWaitSpread.Apply(pause, jitterRoom: timeLeft, paddingRoom: timeLeft, _random());
        }

        // Pacing never holds an attempt longer than a server's wait would be honored.
        var slot = Capped(_state.Pacer.Reserve(now));
        return pause > slot ? pause : slot;
    }

    private void Learn(in AttemptVerdict verdict, HttpResponseMessage response)
    {
        if (verdict.QuotaRemaining is long remaining)
        {
            if (remaining > 0)
            {
                _state.Pacer.Observe(remaining, verdict.QuotaResetIn, verdict.ReadAt);
            }
            else if (verdict is { WaitIsExplicit: true, ServerWait: { } explicitWait })
            {
                // An explicit wait (Retry-After and the millisecond headers) takes precedence over a spent quota's reset.
                Pause(verdict.ReadAt, explicitWait.Delay, response, explicitWait.HeaderName);
            }
            else
            {
                Pause(verdict.ReadAt, verdict.QuotaResetIn, response, verdict.QuotaHeader!);
            }
        }

        if (ServerWaitRule.PausesClient(verdict))
        {
            Pause(verdict.ReadAt, verdict.ServerWait!.Value.Delay, response, verdict.ServerWait.Value.HeaderName);
        }
    }

    private TimeSpan Capped(TimeSpan wait) => wait < _preset.MaxRetryAfter ? wait : _preset.MaxRetryAfter;

    private void Pause(DateTimeOffset now, TimeSpan wait, HttpResponseMessage response, string headerName)
    {
        if (_state.Pause.Extend(now, Capped(wait), ClientPauseReason.From(response, headerName)))
        {
            _metrics.Pause(_preset, (int)response.StatusCode);
        }
    }
}
