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

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        var retryState = RequestState.Rent(_timeProvider.GetTimestamp());
        context.Properties.Set(RequestState.Key, retryState);
        _budget?.RecordRequest();
        _metrics?.Request(_preset);
        _limiter?.Retain();
        try
        {
            if (context.GetRequestMessage() is HttpRequestMessage request)
            {
                if (_preset.AddMissingIdempotencyKey)
                {
                    IdempotencyKeyStamp.Apply(request, _preset.IdempotencyHeader);
                }

                HandlerResendGuard.Apply(request, _preset.Methods);

                if (_preset.MaxRetryAttempts > 0 && _preset.Methods.MayRetry(request))
                {
                    try
                    {
                        await RequestBodyBuffer.EnsureRepeatableAsync(request, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
                    }
#pragma warning disable CA1031 // The body's own failure is the request's outcome, as it would be without the preset.
                    catch (Exception e)
#pragma warning restore CA1031
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                }
            }

            var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);

            // Only inside a GiveUpScope (a service handling a request, with pushback on), and never for a success.
            if (GiveUpScope.Current is not null && outcome.Result is not { IsSuccessStatusCode: true } && !context.CancellationToken.IsCancellationRequested &&
                GiveUpRule.Judge(_preset, outcome, RequestState.Of(context), _inspector) is { } call)
            {
                GiveUpScope.Record(call);
            }

            return outcome;
        }
        finally
        {
            // Every attempt has ended by now (a timeout waits for the attempt it cancels), so nothing reads the state again.
            context.Properties.Set(RequestState.Key, null!);
            RequestState.Return(retryState);
            _limiter?.Release();
        }
    }
}
