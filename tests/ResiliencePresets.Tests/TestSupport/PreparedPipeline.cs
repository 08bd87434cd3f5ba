using Polly;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// Runs a preset's pipeline the way its handler does: through the <see cref="RequestPreparation"/> the pipeline's build
/// published on the client, so the request's state, key and body are prepared before the first attempt.
/// </summary>
internal static class PreparedPipeline
{
    public static ValueTask<Outcome<HttpResponseMessage>> ExecuteRequestAsync<TState>(
        this ClientRuntime client,
        ResiliencePipeline<HttpResponseMessage> pipeline,
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state,
        TimeProvider timeProvider)
        => client.Preparation!.ExecuteAsync(pipeline, callback, context, state, timeProvider.GetTimestamp());
}
