using Polly;

namespace ResiliencePresets;

/// <summary>
/// The outermost strategy of every preset: runs once per logical request, around all its attempts. It starts the
/// request's retry state (and returns it to its pool at the end), stamps the idempotency key, keeps the handler from
/// resending what may not be sent twice, and makes the body repeatable, so every attempt sends the same key and the
/// same bytes. It also holds the client's token bucket for the whole request, so that a reload that replaces the
/// bucket lets this request finish with the one it started with. When the request ends in a failure the preset gave
/// up on (<see cref="GiveUpRule"/>), it records that in the current <see cref="GiveUpScope"/>, if there is one.
/// </summary>
internal sealed class RequestPreparationStrategy : ResilienceStrategy<HttpResponseMessage>
{
    private readonly CompiledPreset _preset;
    private readonly TimeProvider _timeProvider;
    private readonly RetryBudget? _budget;
    private readonly PresetMetrics? _metrics;
    private readonly ClientRateLimiter? _limiter;
    private readonly AttemptInspector _inspector;

    public RequestPreparationStrategy(CompiledPreset preset, TimeProvider timeProvider, RetryBudget? budget = null, PresetMetrics? metrics = null, ClientRateLimiter? limiter = null, AttemptInspector? inspector = null)
    {
        _inspector = inspector ?? new AttemptInspector(preset.Classifier, timeProvider);
        _preset = preset;
        _timeProvider = timeProvider;
        _budget = budget;
        _metrics = metrics;
        _limiter = limiter;
    }

    // Not an async method: a request whose attempts complete at once (its body needs no buffering) runs without a state
    // machine of its own; the rest continues in ContinueAsync or PrepareAndSendAsync.
    protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var requestState = RequestState.Rent(_timeProvider.GetTimestamp());
        context.Properties.Set(RequestState.Key, requestState);
        _budget?.RecordRequest();
        _metrics?.Request(_preset);
        _limiter?.Retain();
        ValueTask<Outcome<HttpResponseMessage>> sending;
        try
        {
            if (context.GetRequestMessage() is HttpRequestMessage request)
            {
                if (_preset.AddMissingIdempotencyKey)
                {
                    IdempotencyKeyStamp.Apply(request, _preset.IdempotencyHeader);
                }

                HandlerResendGuard.Apply(request, _preset.Methods);

                if (_preset.MaxRetryAttempts > 0 && !RequestBodyBuffer.IsRepeatable(request) && _preset.Methods.MayRetry(request))
                {
                    return PrepareAndSendAsync(callback, context, state, request, requestState);
                }
            }

            sending = callback(context, state);
        }
        catch
        {
            End(context, requestState);
            throw;
        }

        return sending.IsCompletedSuccessfully ? new(Finish(context, sending.Result, requestState)) : ContinueAsync(sending, context, requestState);
    }

    private async ValueTask<Outcome<HttpResponseMessage>> PrepareAndSendAsync<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state,
        HttpRequestMessage request,
        RequestState requestState)
    {
        Outcome<HttpResponseMessage> outcome;
        try
        {
            await RequestBodyBuffer.EnsureRepeatableAsync(request, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
#pragma warning disable CA1031 // The body's own failure is the request's outcome, as it would be without the preset.
        catch (Exception e)
#pragma warning restore CA1031
        {
            End(context, requestState);
            return Outcome.FromException<HttpResponseMessage>(e);
        }

        try
        {
            outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch
        {
            End(context, requestState);
            throw;
        }

        return Finish(context, outcome, requestState);
    }

    private async ValueTask<Outcome<HttpResponseMessage>> ContinueAsync(ValueTask<Outcome<HttpResponseMessage>> sending, ResilienceContext context, RequestState requestState)
    {
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await sending.ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch
        {
            End(context, requestState);
            throw;
        }

        return Finish(context, outcome, requestState);
    }

    private Outcome<HttpResponseMessage> Finish(ResilienceContext context, Outcome<HttpResponseMessage> outcome, RequestState requestState)
    {
        try
        {
            // Only inside a GiveUpScope (a service handling a request, with pushback on), and never for a success.
            if (outcome.Result is not { IsSuccessStatusCode: true } && GiveUpScope.Current is not null && !context.CancellationToken.IsCancellationRequested &&
                GiveUpRule.Judge(_preset, outcome, requestState, _inspector) is { } call)
            {
                GiveUpScope.Record(call);
            }

            return outcome;
        }
        finally
        {
            End(context, requestState);
        }
    }

    // Every attempt has ended by now (a timeout waits for the attempt it cancels), so nothing reads the state again.
    private void End(ResilienceContext context, RequestState requestState)
    {
        context.Properties.Set(RequestState.Key, null!);
        RequestState.Return(requestState);
        _limiter?.Release();
    }
}
