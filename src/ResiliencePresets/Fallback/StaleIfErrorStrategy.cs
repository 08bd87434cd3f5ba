using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// The outermost strategy when <c>Fallback:StaleIfError</c> is set: it keeps the good responses to GET and HEAD
/// requests (<see cref="StaleStorageRule"/>), and answers a request that failed for good
/// (<see cref="StaleIfErrorTrigger"/>) with the one kept for it (<see cref="StaleCacheKey"/>), when that is recent
/// enough (<see cref="StaleWindow"/>), marked stale. Outside the total timeout, the retries, the pacing and the breaker,
/// it sees only a request's final outcome.
/// </summary>
internal sealed class StaleIfErrorStrategy : ResilienceStrategy<HttpResponseMessage>
{
    private readonly CompiledPreset _preset;
    private readonly StaleResponseStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly PresetMetrics _metrics;

    public StaleIfErrorStrategy(CompiledPreset preset, StaleResponseStore store, TimeProvider timeProvider, ILogger logger, PresetMetrics metrics)
    {
        _preset = preset;
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger;
        _metrics = metrics;
    }

    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        if (context.GetRequestMessage() is not { } request || !StaleRequestRule.TakesPart(request))
        {
            return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }

        var key = StaleCacheKey.For(_preset.ClientName, request, _preset.IdempotencyHeader);
        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (StaleIfErrorTrigger.FailureOf(outcome, context.CancellationToken) is { } failure)
        {
            return await AnswerAsync(request, key, outcome, failure, context).ConfigureAwait(context.ContinueOnCapturedContext);
        }

        if (outcome.Result is { } response)
        {
            Keep(request, key, response);
        }

        return outcome;
    }

    private async ValueTask<Outcome<HttpResponseMessage>> AnswerAsync(HttpRequestMessage request, string key, Outcome<HttpResponseMessage> outcome, StaleIfErrorFailure failure, ResilienceContext context)
    {
        var stored = await _store.FindAsync(key, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        if (stored is null || stored.VaryHash != StaleCacheKey.VaryHash(request, stored.Terms.VaryNames))
        {
            return outcome;
        }

        var age = stored.AgeAt(_timeProvider.GetUtcNow());
        if (age > StaleWindow.MaxAge(_preset.StaleIfError, stored.Terms.Lifetime, stored.Terms.ServerGrant))
        {
            return outcome;
        }

        outcome.Result?.Dispose();
        var answer = stored.ToResponse(request);
        var seconds = (long)age.TotalSeconds;
        answer.Headers.Age = TimeSpan.FromSeconds(seconds);
        answer.Headers.TryAddWithoutValidation("Cache-Status", CacheStatus(failure, (long)stored.Terms.Lifetime.TotalSeconds - seconds));
        StaleResponse.Mark(answer);
        _metrics.StaleAnswer(_preset, failure);
        Log.StaleAnswered(_logger, _preset.ClientName, request, failure, seconds);
        return Outcome.FromResult(answer);
    }

    // RFC 9211: this library is a cache that forwarded the request and got an error; every kept response is used as stale.
    private static string CacheStatus(in StaleIfErrorFailure failure, long ttl)
    {
        var forwarded = failure.StatusCode is { } status ? string.Create(CultureInfo.InvariantCulture, $"; fwd-status={status}") : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{StaleResponse.CacheName}; fwd=stale{forwarded}; ttl={ttl}; detail=stale-if-error");
    }

    private void Keep(HttpRequestMessage request, string key, HttpResponseMessage response)
    {
        var verdict = StaleStorageRule.Judge(response, _preset.StaleIfError);
        if (verdict.Kind == StaleStorageKind.Forget)
        {
            _store.Forget(key);
        }

        if (verdict is not { Kind: StaleStorageKind.Keep, Terms: { } terms })
        {
            return;
        }

        var isHead = request.Method == HttpMethod.Head;
        var snapshot = StoredResponse.Snapshot(response, isHead, _timeProvider.GetUtcNow(), terms, StaleCacheKey.VaryHash(request, terms.VaryNames));
        var expiration = StaleWindow.MaxAge(_preset.StaleIfError, terms.Lifetime, terms.ServerGrant) - terms.InitialAge;
        var capacity = _preset.MaxStaleEntries;
        var length = response.Content.Headers.ContentLength;
        if (isHead || response.StatusCode == System.Net.HttpStatusCode.NoContent || length == 0)
        {
            _store.Keep(key, snapshot, expiration, capacity);
        }
        else if (length > _preset.MaxStaleBodyBytes)
        {
            _store.Forget(key);
        }
        else
        {
            var copy = new BodyCopy(_preset.MaxStaleBodyBytes, length, body => _store.Keep(key, snapshot.WithBody(body), expiration, capacity), () => _store.Forget(key));
            response.Content = new BodyCopyContent(response.Content, copy);
        }
    }
}
