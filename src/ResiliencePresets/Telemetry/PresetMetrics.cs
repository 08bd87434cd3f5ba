using System.Diagnostics;
using System.Diagnostics.Metrics;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ResiliencePresets;

/// <summary>
/// The library's instruments, on one <see cref="Meter"/> named <c>ResiliencePresets</c>. Every counter and histogram
/// measurement is tagged with the client name and the preset, the gauges with the client name; none carries a header
/// value or a URL.
/// </summary>
internal sealed class PresetMetrics : IDisposable
{
    public const string MeterName = "ResiliencePresets";
    public const string ClientTag = "resiliencepresets.client";
    public const string PresetTag = "resiliencepresets.preset";
    public const string StatusTag = "http.response.status_code";
    public const string ReasonTag = "resiliencepresets.reason";
    public const string SourceTag = "resiliencepresets.source";
    public const string StateTag = "resiliencepresets.state";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _retryDelay;
    private readonly Counter<long> _budgetRefusals;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _pauses;
    private readonly Counter<long> _breakerTransitions;
    private readonly Counter<long> _staleAnswers;
    private readonly Counter<long> _hedges;

    // Backoff runs from milliseconds to the 30 s cap, server waits up to Retry:MaxRetryAfter; the SDK's default buckets are for milliseconds.
    private static readonly double[] RetryDelayBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private static readonly CircuitState[] ReportedStates = [CircuitState.Closed, CircuitState.Open, CircuitState.HalfOpen];

    public PresetMetrics(IMeterFactory? meterFactory = null, ClientRuntimeRegistry? clients = null, TimeProvider? timeProvider = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("resiliencepresets.requests", "{request}", "Logical requests sent through a preset (retries not included).");
        _retries = _meter.CreateCounter<long>("resiliencepresets.retries", "{retry}", "Retries scheduled, by reason: status, exception or timeout.");
        _retryDelay = _meter.CreateHistogram("resiliencepresets.retry.delay", "s", "Waits before retries, by source: header (the server asked), backoff, or learned_rate (a rate signal retried into the learned bucket).",
            tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = RetryDelayBuckets });
        _budgetRefusals = _meter.CreateCounter<long>("resiliencepresets.retry_budget.refusals", "{retry}", "Retries refused because the client's retry budget was spent.");
        _throttled = _meter.CreateCounter<long>("resiliencepresets.rate_limiter.throttled", "{attempt}", "Attempts that queued for a permit of the client's configured bucket or of its learned rate's bucket.");
        _rejected = _meter.CreateCounter<long>("resiliencepresets.rate_limiter.rejections", "{attempt}", "Attempts rejected because the rate limit's queue was full.");
        _pauses = _meter.CreateCounter<long>("resiliencepresets.client.pauses", "{pause}", "Times a server's wait paused a client's requests to one host, or those under one limit the server named.");
        _breakerTransitions = _meter.CreateCounter<long>("resiliencepresets.circuit_breaker.transitions", "{transition}", "Circuit breaker state changes, by new state.");
        _staleAnswers = _meter.CreateCounter<long>("resiliencepresets.stale_if_error.answers", "{response}",
            "Failed GET and HEAD requests answered with a kept response (Fallback:StaleIfError), by reason and error type.");
        _hedges = _meter.CreateCounter<long>("resiliencepresets.hedges", "{attempt}", "Hedged attempts sent because an attempt was slower than the hedge delay; a hedge refused before it was sent is not counted.");
        if (clients is not null)
        {
            var time = timeProvider ?? TimeProvider.System;
            _meter.CreateObservableGauge("resiliencepresets.circuit_breaker.state", () => BreakerStates(clients, time), "{state}",
                "1 for the state each client's breaker is in (closed, open, half_open), 0 for the others.");
            _meter.CreateObservableGauge("resiliencepresets.client.pause.remaining", () => PausesRemaining(clients, time), "s",
                "Time left before each client's server-imposed pause is over (of a client paused in several scopes, the longest); 0 when the client is not paused.");
            _meter.CreateObservableGauge("resiliencepresets.client.learned_rate", () => LearnedRates(clients), "{request}/s",
                "The rate each throttling client paces its attempts at, learned from its server's rate signals; only clients that throttle report.");
        }
    }

    public void Request(CompiledPreset preset)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, Tags(preset));
        }
    }

    public void Hedge(CompiledPreset preset)
    {
        if (_hedges.Enabled)
        {
            _hedges.Add(1, Tags(preset));
        }
    }

    public void Retry(CompiledPreset preset, in RetryDecision planned, TimeSpan delay, in Outcome<HttpResponseMessage> outcome)
    {
        // The tags are built only for a listener: without one, a retry costs its meters nothing.
        if (_retries.Enabled)
        {
            RetryCounted(preset, planned, outcome);
        }

        if (!_retryDelay.Enabled)
        {
            return;
        }

        var delayTags = Tags(preset);
        delayTags.Add(SourceTag, planned.Source switch
        {
            RetryDelaySource.ServerHeader => "header",
            RetryDelaySource.LearnedRate => "learned_rate",
            _ => "backoff",
        });
        _retryDelay.Record(delay.TotalSeconds, delayTags);
    }

    public void BudgetRefusal(CompiledPreset preset) => _budgetRefusals.Add(1, Tags(preset));

    public void Throttled(CompiledPreset preset) => _throttled.Add(1, Tags(preset));

    public void Rejected(CompiledPreset preset) => _rejected.Add(1, Tags(preset));

    public void Pause(CompiledPreset preset, int status)
    {
        var tags = Tags(preset);
        tags.Add(StatusTag, status);
        _pauses.Add(1, tags);
    }

    public void BreakerTransition(CompiledPreset preset, string state)
    {
        var tags = Tags(preset);
        tags.Add(StateTag, state);
        _breakerTransitions.Add(1, tags);
    }

    public void StaleAnswer(CompiledPreset preset, in StaleIfErrorFailure failure)
    {
        var tags = Tags(preset);
        tags.Add(ReasonTag, failure.Reason);
        tags.Add(ErrorType.TagName, failure.ErrorType);
        _staleAnswers.Add(1, tags);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    // http.response.status_code is the status the server sent, as in HttpClient's own metrics and spans: a 403 the
    // classifier reads as a 429 is a 403 here, as it is in error.type and in the pause counter.
    private void RetryCounted(CompiledPreset preset, in RetryDecision planned, in Outcome<HttpResponseMessage> outcome)
    {
        var tags = Tags(preset);
        if (outcome.Result is { } response)
        {
            tags.Add(ReasonTag, "status");
            tags.Add(StatusTag, (int)response.StatusCode);
            tags.Add(ErrorType.TagName, planned.Cause);
        }
        else
        {
            tags.Add(ReasonTag, outcome.Exception is TimeoutRejectedException ? "timeout" : "exception");
            tags.Add(ErrorType.TagName, outcome.Exception is { } exception ? ErrorType.Of(exception) : planned.Cause);
        }

        _retries.Add(1, tags);
    }

    private static IEnumerable<Measurement<int>> BreakerStates(ClientRuntimeRegistry clients, TimeProvider time)
    {
        var now = time.GetUtcNow();
        foreach (var (name, client) in clients.All)
        {
            if (ClientAvailability.Read(name, client, now).Breaker is not { } current)
            {
                continue;
            }

            foreach (var state in ReportedStates)
            {
                yield return new Measurement<int>(state == current ? 1 : 0, new(ClientTag, name), new(StateTag, ClientAvailability.StateName(state)));
            }
        }
    }

    private static IEnumerable<Measurement<double>> PausesRemaining(ClientRuntimeRegistry clients, TimeProvider time)
    {
        var now = time.GetUtcNow();
        foreach (var (name, client) in clients.All)
        {
            yield return new Measurement<double>(client.Scopes.LongestPause(now).TotalSeconds, new KeyValuePair<string, object?>(ClientTag, name));
        }
    }

    private static IEnumerable<Measurement<double>> LearnedRates(ClientRuntimeRegistry clients)
    {
        foreach (var (name, client) in clients.All)
        {
            if (client.Learner?.Rate is double rate)
            {
                yield return new Measurement<double>(rate, new KeyValuePair<string, object?>(ClientTag, name));
            }
        }
    }

    private static TagList Tags(CompiledPreset preset) => new()
    {
        { ClientTag, preset.ClientName },
        { PresetTag, preset.PresetName },
    };
}
