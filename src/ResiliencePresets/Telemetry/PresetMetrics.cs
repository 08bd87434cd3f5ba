using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ResiliencePresets;

/// <summary>
/// The library's counters, on one <see cref="Meter"/> named <c>ResiliencePresets</c>. Every measurement is tagged with the
/// client name and the preset; none carries a header value or a URL.
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

    public PresetMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("resiliencepresets.requests", "{request}", "Logical requests sent through a preset (retries not included).");
        _retries = _meter.CreateCounter<long>("resiliencepresets.retries", "{retry}", "Retries scheduled, by reason: status, exception or timeout.");
        _retryDelay = _meter.CreateHistogram<double>("resiliencepresets.retry.delay", "s", "Waits before retries, by source: header (the server asked) or backoff.");
        _budgetRefusals = _meter.CreateCounter<long>("resiliencepresets.retry_budget.refusals", "{retry}", "Retries refused because the client's retry budget was spent.");
        _throttled = _meter.CreateCounter<long>("resiliencepresets.rate_limiter.throttled", "{attempt}", "Attempts that waited for a permit of the client's rate limit.");
        _rejected = _meter.CreateCounter<long>("resiliencepresets.rate_limiter.rejections", "{attempt}", "Attempts rejected because the rate limit's queue was full.");
        _pauses = _meter.CreateCounter<long>("resiliencepresets.client.pauses", "{pause}", "Times a server's wait paused every request of a client.");
        _breakerTransitions = _meter.CreateCounter<long>("resiliencepresets.circuit_breaker.transitions", "{transition}", "Circuit breaker state changes, by new state.");
    }

    public void Request(PresetPolicy policy)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, Tags(policy));
        }
    }

    public void Retry(PresetPolicy policy, in RetryDecision planned, TimeSpan delay)
    {
        var tags = Tags(policy);
        tags.Add(ReasonTag, planned.StatusCode is not null ? "status" : planned.Cause == "TimeoutRejectedException" ? "timeout" : "exception");
        if (planned.StatusCode is int status)
        {
            tags.Add(StatusTag, status);
        }

        _retries.Add(1, tags);
        var delayTags = Tags(policy);
        delayTags.Add(SourceTag, planned.Source == RetryDelaySource.ServerHeader ? "header" : "backoff");
        _retryDelay.Record(delay.TotalSeconds, delayTags);
    }

    public void BudgetRefusal(PresetPolicy policy) => _budgetRefusals.Add(1, Tags(policy));

    public void Throttled(PresetPolicy policy) => _throttled.Add(1, Tags(policy));

    public void Rejected(PresetPolicy policy) => _rejected.Add(1, Tags(policy));

    public void Pause(PresetPolicy policy, int status)
    {
        var tags = Tags(policy);
        tags.Add(StatusTag, status);
        _pauses.Add(1, tags);
    }

    public void BreakerTransition(PresetPolicy policy, string state)
    {
        var tags = Tags(policy);
        tags.Add(StateTag, state);
        _breakerTransitions.Add(1, tags);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private static TagList Tags(PresetPolicy policy) => new()
    {
        { ClientTag, policy.ClientName },
        { PresetTag, policy.PresetName },
    };
}
