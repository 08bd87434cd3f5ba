using Microsoft.Extensions.Http.Diagnostics;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// The message handler that runs a client's preset: it prepares each request (<see cref="RequestPreparation"/>), runs
/// the client's pipeline, and bounds the body <see cref="HttpClient"/> reads after it (<see cref="ResponseBodyBound"/>),
/// without a timer per request. Its own type marks a handler chain that already has one.
/// </summary>
/// <remarks>
/// It keeps the contract of Microsoft.Extensions.Http.Resilience's <c>ResilienceHandler</c>: a
/// <see cref="ResilienceContext"/> the caller set on the request (<c>SetResilienceContext</c>) is used, with its
/// cancellation token, and restored afterwards; otherwise one is rented for the request and returned. The context
/// carries the request (<c>GetRequestMessage</c>) and the request's <see cref="RequestMetadata"/>, and every attempt
/// sets it on the request it sends, so the handlers after this one find it.
/// </remarks>
internal sealed class PresetResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<RequestMetadata> RequestMetadataKey = new(TelemetryConstants.RequestMetadataKey);

    private static readonly Func<ResilienceContext, (PresetResilienceHandler Handler, HttpRequestMessage Request), ValueTask<Outcome<HttpResponseMessage>>> SendAttempt =
        static (context, state) => state.Handler.SendAttemptAsync(context, state.Request);

    private static readonly Func<ResilienceContext, (PresetResilienceHandler Handler, HttpRequestMessage Request), HttpResponseMessage> SendAttemptSynchronously =
        static (context, state) =>
        {
            var request = context.GetRequestMessage() ?? state.Request;
            request.SetResilienceContext(context);
            return state.Handler.SendInner(request, context.CancellationToken);
        };

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ClientRuntime _client;
    private readonly ResponseBodyBound _bodyBound;
    private readonly TimeProvider _timeProvider;

    public PresetResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline, ClientRuntime client, ResponseBodyBound bodyBound)
    {
        _pipeline = pipeline;
        _client = client;
        _bodyBound = bodyBound;
        _timeProvider = bodyBound.Deadlines.TimeProvider;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // One reading of the clock starts the request's TotalTimeout, its retry budget count and its body bound.
        var start = _timeProvider.GetTimestamp();
        var (context, created) = ContextFor(request, cancellationToken);
        try
        {
            var outcome = await Preparation().ExecuteAsync(_pipeline, SendAttempt, context, (this, request), start).ConfigureAwait(context.ContinueOnCapturedContext);
            outcome.ThrowIfException();
            var response = outcome.Result!;
            if (_bodyBound.Applies(cancellationToken))
            {
                _bodyBound.Apply(request, response, start, cancellationToken);
            }

            return response;
        }
        finally
        {
            Restore(context, request, created);
        }
    }

    // A synchronous send is bounded whole, headers and body, as HttpClient.Timeout would.
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        var start = _timeProvider.GetTimestamp();
        var bounded = _bodyBound.Applies(cancellationToken);
        HttpResponseMessage response;
        using (var headers = bounded ? _bodyBound.Deadlines.Start(_bodyBound.DeadlineOf(start).Deadline, cancellationToken) : null)
        {
            var (context, created) = ContextFor(request, headers?.Token ?? cancellationToken);
            try
            {
                var outcome = Preparation().Execute(_pipeline, SendAttemptSynchronously, context, (this, request), start);
                outcome.ThrowIfException();
                response = outcome.Result!;
            }
            finally
            {
                Restore(context, request, created);
            }
        }

        if (bounded)
        {
            _bodyBound.Apply(request, response, start, cancellationToken);
        }

        return response;
    }

    private static (ResilienceContext Context, bool Created) ContextFor(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = request.GetResilienceContext();
        var created = context is null;
        context ??= ResilienceContextPool.Shared.Get(cancellationToken);
        if (request.GetRequestMetadata() is { } metadata)
        {
            context.Properties.Set(RequestMetadataKey, metadata);
        }

        context.SetRequestMessage(request);
        return (context, created);
    }

    private static void Restore(ResilienceContext context, HttpRequestMessage request, bool created)
    {
        if (created)
        {
            request.SetResilienceContext(null);
            ResilienceContextPool.Shared.Return(context);
        }
        else
        {
            request.SetResilienceContext(context);
        }
    }

    // Each build publishes its preparation before the pipeline can run, so a handler always finds one. The client is
    // reported by the health check and the gauges from its first request on, not from its creation.
    private RequestPreparation Preparation()
    {
        _client.MarkSent();
        return _client.Preparation ?? throw new InvalidOperationException("The client's pipeline was not built before its handler ran.");
    }

    // Not an async method: an attempt whose inner handlers complete at once needs no state machine of its own.
    private ValueTask<Outcome<HttpResponseMessage>> SendAttemptAsync(ResilienceContext context, HttpRequestMessage fallback)
    {
        var request = context.GetRequestMessage() ?? fallback;

        // A hedge sends a copy of the request: each attempt's own request carries the context the handlers after this find.
        request.SetResilienceContext(context);
        Task<HttpResponseMessage> sending;
        try
        {
            sending = base.SendAsync(request, context.CancellationToken);
        }
#pragma warning disable CA1031 // An inner handler's failure is the attempt's outcome, for the strategies to judge.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return new(Outcome.FromException<HttpResponseMessage>(e));
        }

        return sending.IsCompletedSuccessfully ? new(Outcome.FromResult(sending.Result)) : AwaitAttemptAsync(sending, context.ContinueOnCapturedContext);
    }

    private static async ValueTask<Outcome<HttpResponseMessage>> AwaitAttemptAsync(Task<HttpResponseMessage> sending, bool continueOnCapturedContext)
    {
        try
        {
            return Outcome.FromResult(await sending.ConfigureAwait(continueOnCapturedContext));
        }
#pragma warning disable CA1031 // An inner handler's failure is the attempt's outcome, for the strategies to judge.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Outcome.FromException<HttpResponseMessage>(e);
        }
    }

    private HttpResponseMessage SendInner(HttpRequestMessage request, CancellationToken cancellationToken) => base.Send(request, cancellationToken);
}
