using Polly;

namespace ResiliencePresets;

/// <summary>
/// What runs once per logical request, around the whole pipeline and all its attempts: it starts the request's state
/// (and returns it to its pool at the end), stamps the idempotency key, keeps the handler from resending what may not
/// be sent twice, and makes the body repeatable, so every attempt sends the same key and the same bytes. It also holds
/// the client's token bucket for the whole request, so that a reload that replaces the bucket lets this request finish
/// with the one it started with. When the request ends in a failure the preset gave up on (<see cref="GiveUpRule"/>),
/// it records that in the current <see cref="GiveUpScope"/>, if there is one.
/// </summary>
/// <remarks>
/// Each pipeline build makes one for its preset and publishes it on the client (<see cref="ClientRuntime.Preparation"/>);
/// <see cref="PresetResilienceHandler"/> runs the pipeline through it. It is not a strategy of the pipeline, so that a
/// request pays for no Polly layer of its own; a reload that lands between a request's preparation and its pipeline
/// runs that request with the preparation of the build before, which stamps, guards and buffers by the settings the
/// request was sent under.
/// </remarks>
internal sealed class RequestPreparation
{
    private readonly CompiledPreset _preset;
    private readonly RetryBudget? _budget;
    private readonly PresetMetrics? _metrics;
    private readonly ClientRateLimiter? _limiter;
    private readonly AttemptInspector _inspector;

    public RequestPreparation(CompiledPreset preset, AttemptInspector inspector, RetryBudget? budget = null, PresetMetrics? metrics = null, ClientRateLimiter? limiter = null)
    {
        _preset = preset;
        _inspector = inspector;
        _budget = budget;
        _metrics = metrics;
        _limiter = limiter;
    }

    /// <summary>Gets the token bucket this build's requests hold, if the preset sets a rate.</summary>
    public ClientRateLimiter? Limiter => _limiter;

    /// <summary>
    /// Prepares the request <paramref name="context"/> carries (its <c>GetRequestMessage()</c>) and runs
    /// <paramref name="pipeline"/> for it.
    /// </summary>
    /// <param name="pipeline">The client's pipeline.</param>
    /// <param name="callback">What sends one attempt.</param>
    /// <param name="context">The request's context.</param>
    /// <param name="state">The state <paramref name="callback"/> gets.</param>
    /// <param name="startTimestamp">When the request started (<see cref="TimeProvider.GetTimestamp"/>), read once by the caller.</param>
    // Not an async method: a request whose pipeline completes at once (its body needs no buffering) runs without a
    // state machine of its own; the rest continues in ContinueAsync or PrepareAndSendAsync.
    public ValueTask<Outcome<HttpResponseMessage>> ExecuteAsync<TState>(
        ResiliencePipeline<HttpResponseMessage> pipeline,
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state,
        long startTimestamp)
    {
        var requestState = Begin(context, startTimestamp);
        ValueTask<Outcome<HttpResponseMessage>> sending;
        try
        {
            if (Prepare(context) is { } unbuffered)
            {
                return PrepareAndSendAsync(pipeline, callback, context, state, unbuffered, requestState);
            }

            sending = pipeline.ExecuteOutcomeAsync(callback, context, state);
        }
        catch
        {
            End(context, requestState);
            throw;
        }

        return sending.IsCompletedSuccessfully ? new(Finish(context, sending.Result, requestState)) : ContinueAsync(sending, context, requestState);
    }

    /// <summary>The same for a synchronous send: a body to buffer is buffered before the pipeline runs.</summary>
    public Outcome<HttpResponseMessage> Execute<TState>(
        ResiliencePipeline<HttpResponseMessage> pipeline,
        Func<ResilienceContext, TState, HttpResponseMessage> callback,
        ResilienceContext context,
        TState state,
        long startTimestamp)
    {
        var requestState = Begin(context, startTimestamp);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            if (Prepare(context) is { } unbuffered)
            {
                RequestBodyBuffer.EnsureRepeatableAsync(unbuffered, context.CancellationToken).GetAwaiter().GetResult();
            }

            outcome = Outcome.FromResult(pipeline.Execute(callback, context, state));
        }
#pragma warning disable CA1031 // The request's own failure is its outcome, judged for pushback and then rethrown by the caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            outcome = Outcome.FromException<HttpResponseMessage>(e);
        }

        return Finish(context, outcome, requestState);
    }

    private RequestState Begin(ResilienceContext context, long startTimestamp)
    {
        var requestState = RequestState.Rent(startTimestamp);
        context.Properties.Set(RequestState.Key, requestState);
        _budget?.RecordRequest(startTimestamp);
        _metrics?.Request(_preset);
        _limiter?.Retain();
        return requestState;
    }

    // Stamps and guards the request; returns it when its body must be buffered before the first attempt.
    private HttpRequestMessage? Prepare(ResilienceContext context)
    {
        if (context.GetRequestMessage() is not HttpRequestMessage request)
        {
            return null;
        }

        if (_preset.AddMissingIdempotencyKey)
        {
            IdempotencyKeyStamp.Apply(request, _preset.IdempotencyHeader);
        }

        HandlerResendGuard.Apply(request, _preset.Methods);
        return _preset.MaxRetryAttempts > 0 && !RequestBodyBuffer.IsRepeatable(request) && _preset.Methods.MayRetry(request) ? request : null;
    }

    private async ValueTask<Outcome<HttpResponseMessage>> PrepareAndSendAsync<TState>(
        ResiliencePipeline<HttpResponseMessage> pipeline,
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
            outcome = await pipeline.ExecuteOutcomeAsync(callback, context, state).ConfigureAwait(context.ContinueOnCapturedContext);
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
                GiveUpRule.Judge(_preset, context.GetRequestMessage(), outcome, requestState, _inspector) is { } call)
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
