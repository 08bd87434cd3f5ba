using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// The message handler that runs a client's preset pipeline, and bounds the body <see cref="HttpClient"/> reads after
/// it (<see cref="ResponseBodyBound"/>), without a timer per request. Its own type marks a handler chain that already
/// has one.
/// </summary>
internal sealed class PresetResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline, ResponseBodyBound bodyBound) : ResilienceHandler(pipeline)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!bodyBound.Applies(cancellationToken))
        {
            return base.SendAsync(request, cancellationToken);
        }

        var start = bodyBound.Start();
        var sending = base.SendAsync(request, cancellationToken);
        if (!sending.IsCompletedSuccessfully)
        {
            return BoundWhenSent(sending, request, start, cancellationToken);
        }

        bodyBound.Apply(request, sending.Result, start, cancellationToken);
        return sending;
    }

    // The pipeline runs only for asynchronous sends; a synchronous one is bounded whole, headers and body, as
    // HttpClient.Timeout would.
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!bodyBound.Applies(cancellationToken))
        {
            return base.Send(request, cancellationToken);
        }

        var start = bodyBound.Start();
        HttpResponseMessage response;
        using (var headers = bodyBound.Deadlines.Start(bodyBound.DeadlineOf(start).Deadline, cancellationToken))
        {
            response = base.Send(request, headers.Token);
        }

        bodyBound.Apply(request, response, start, cancellationToken);
        return response;
    }

    private async Task<HttpResponseMessage> BoundWhenSent(Task<HttpResponseMessage> sending, HttpRequestMessage request, long start, CancellationToken cancellationToken)
    {
        var response = await sending.ConfigureAwait(false);
        bodyBound.Apply(request, response, start, cancellationToken);
        return response;
    }
}
