using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using static ResiliencePresets.Tests.TestSupport.HttpMessages;

namespace ResiliencePresets.Tests.Retry;

public sealed class RetryDeciderTests
{
    private const string KeyHeader = IdempotencyKeyOptions.DefaultHeaderName;
    private const string NeverReason = "{0} is never retried by this preset";
    private const string KeyReason = "{0} is retried only with one non-blank Idempotency-Key value, or when the request never reached the server";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 15, 12, 0, 0, TimeSpan.Zero));

    public static TheoryData<string, Exception> NotTransient => new()
    {
        { "caller cancellation", new OperationCanceledException(new CancellationToken(canceled: true)) },
        { "task cancellation", new TaskCanceledException() },
        { "open breaker", new BrokenCircuitException() },
        { "TLS failure", new HttpRequestException(HttpRequestError.SecureConnectionError) },
        { "bug", new InvalidOperationException() },
    };

    [Theory]
    [MemberData(nameof(NotTransient))]
    public void Decide_NonTransientException_IsNeverRetriedWhateverTheMethod(string scenario, Exception exception)
    {
        foreach (var method in (string[])["GET", "PUT", "POST"])
        {
            using var request = Request(method, (KeyHeader, "k-1"));

            var decision = Decider(ResiliencePresetNames.PaymentWithIdempotencyKey).Decide(Outcome.FromException<HttpResponseMessage>(exception), request, NewState(), 0);

            Assert.False(decision.ShouldRetry, $"{scenario} {method}");
            Assert.Equal(exception.GetType().Name, decision.Cause);
            Assert.Null(decision.DeclinedBecause);
            Assert.Null(decision.StatusCode);
        }
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, "timeout", true, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, "refused", true, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", true, "refused", false, NeverReason)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", true, "timeout", false, NeverReason)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PUT", false, "timeout", true, null)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", false, "timeout", false, KeyReason)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", false, "reset", false, KeyReason)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", false, "refused", true, null)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", false, "dns", true, null)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", true, "timeout", true, null)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PATCH", false, "timeout", false, KeyReason)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", true, "reset", true, null)]
    public void Decide_TransportFailure_IsRetriedOnlyWhenTheMethodRuleAllowsIt(
        string preset, string method, bool hasKey, string failure, bool expected, string? reason)
    {
        Exception exception = failure switch
        {
            "timeout" => new TimeoutRejectedException(),
            "refused" => new HttpRequestException(HttpRequestError.ConnectionError),
            "dns" => new HttpRequestException(HttpRequestError.NameResolutionError),
            _ => new HttpRequestException(HttpRequestError.ResponseEnded),
        };
        using var request = hasKey ? Request(method, (KeyHeader, "k-1")) : Request(method);

        var decision = Decider(preset, random: 0.5).Decide(Outcome.FromException<HttpResponseMessage>(exception), request, NewState(), 0);

        Assert.Equal(expected, decision.ShouldRetry);
        Assert.Equal(reason is null ? null : string.Format(CultureInfo.InvariantCulture, reason, method), decision.DeclinedBecause);
        Assert.Equal(exception.GetType().Name, decision.Cause);
        if (expected)
        {
            // The first retry waits half of the preset's base delay when the random draw is 0.5.
            Assert.Equal(BuiltInPresets.Create(preset).Retry.BaseDelay / 2, decision.Delay);
            Assert.Equal(RetryDelaySource.Backoff, decision.Source);
        }
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, 503, true, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, 429, true, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "HEAD", false, 504, true, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, 404, false, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, 409, false, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, 501, false, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", false, 200, false, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", true, 503, false, NeverReason)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "DELETE", false, 503, false, NeverReason)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", false, 404, false, null)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PUT", false, 503, true, null)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "DELETE", false, 502, true, null)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", false, 503, false, KeyReason)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", true, 503, true, null)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PATCH", false, 429, false, KeyReason)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", true, 409, false, null)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", true, 409, true, null)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", true, 422, false, null)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, "POST", false, 503, false, KeyReason)]
    public void Decide_Response_NeedsBothARetryableStatusAndAMethodRuleThatAllowsIt(
        string preset, string method, bool hasKey, int status, bool expected, string? reason)
    {
        using var request = hasKey ? Request(method, (KeyHeader, "k-1")) : Request(method);
        using var response = Response(status);

        var decision = Decider(preset).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.Equal(expected, decision.ShouldRetry);
        Assert.Equal(reason is null ? null : string.Format(CultureInfo.InvariantCulture, reason, method), decision.DeclinedBecause);
        Assert.Equal(status.ToString(CultureInfo.InvariantCulture), decision.Cause);
        Assert.Equal(status, decision.StatusCode);
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", "x-should-retry", 400, NeverReason)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "PUT", "Stripe-Should-Retry", 503, NeverReason)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", "x-should-retry", 500, KeyReason)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "PATCH", "Stripe-Should-Retry", 409, KeyReason)]
    public void Decide_ServerVerdictTrue_NeverOverridesTheMethodRule(string preset, string method, string header, int status, string reason)
    {
        using var request = Request(method);
        using var response = Response(status, (header, "true"));

        var decision = Decider(preset).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.False(decision.ShouldRetry);
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, reason, method), decision.DeclinedBecause);
    }

    [Fact]
    public void Decide_ServerVerdictFalse_StopsARetryTheTableWouldMake()
    {
        using var request = Request("GET");
        using var response = Response(503, ("x-should-retry", "false"), ("Retry-After", "1"));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.False(decision.ShouldRetry);
        Assert.Null(decision.DeclinedBecause);
    }

    [Fact]
    public void Decide_SuccessWithRetryVerdictTrue_IsNotRetried()
    {
        using var request = Request("POST", (KeyHeader, "k-1"));
        using var response = Response(200, ("x-should-retry", "true"));

        var decision = Decider(ResiliencePresetNames.PaymentWithIdempotencyKey).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.False(decision.ShouldRetry);
    }

    [Theory]
    [InlineData(500, 0, true)]
    [InlineData(500, 1, false)]
    [InlineData(502, 0, true)]
    [InlineData(502, 1, true)]
    [InlineData(502, 2, false)]
    [InlineData(503, 9, true)]
    [InlineData(520, 0, true)]
    [InlineData(520, 1, false)]
    public void Decide_StatusWithPerStatusLimit_StopsOnceThatStatusHasCausedThatManyRetries(int status, int earlierRetries, bool expected)
    {
        var state = NewState();
        for (var i = 0; i < earlierRetries; i++)
        {
            state.RecordRetry(status);
        }

        using var request = Request("GET");
        using var response = Response(status);

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi).Decide(Outcome.FromResult(response), request, state, earlierRetries);

        Assert.Equal(expected, decision.ShouldRetry);
        if (!expected)
        {
            var max = StatusCodeClassifier.Default.GetRule(status).MaxRetries;
            Assert.Equal($"status {status} may be retried at most {max} time(s)", decision.DeclinedBecause);
        }
    }

    [Fact]
    public void Decide_PerStatusLimit_CountsOnlyRetriesCausedByThatStatus()
    {
        var state = NewState();
        state.RecordRetry(503);
        state.RecordRetry(504);
        state.RecordRetry(null);
        using var request = Request("GET");
        using var response = Response(500);

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi).Decide(Outcome.FromResult(response), request, state, 3);

        Assert.True(decision.ShouldRetry);
    }

    [Fact]
    public void Decide_ConfiguredRetryN_IsThePerStatusLimit()
    {
        var decider = Decider(ResiliencePresetNames.ReadOnlyApi, configure: o => o.StatusCodes[503] = StatusCodeRule.RetryAtMost(2));
        var state = NewState();
        state.RecordRetry(503);
        state.RecordRetry(503);
        using var request = Request("GET");
        using var response = Response(503);

        var decision = decider.Decide(Outcome.FromResult(response), request, state, 2);

        Assert.False(decision.ShouldRetry);
        Assert.Equal("status 503 may be retried at most 2 time(s)", decision.DeclinedBecause);
    }

    [Fact]
    public void Decide_RateLimited403_IsRetriedAs429AndWaitsUntilTheReset()
    {
        var reset = _time.GetUtcNow().AddSeconds(20).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = Request("GET");
        using var response = Response(403, ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi, random: 0).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.True(decision.ShouldRetry);
        Assert.Equal("403", decision.Cause);
        Assert.Equal(429, decision.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(20), decision.Delay - ServerWaitSpread.Padding);
        Assert.Equal(RetryDelaySource.ServerHeader, decision.Source);
        Assert.Equal("X-RateLimit-Reset", decision.SourceHeader);
    }

    [Theory]
    [InlineData(403, "retry-after", "7", 7_000.0)]
    [InlineData(429, "retry-after", "7", 7_000.0)]
    [InlineData(403, "retry-after-ms", "700", 700.0)]
    [InlineData(403, "Retry-After", "1.5", 2_000.0)]
    public void Decide_SecondaryRateLimitWithAWaitAndQuotaLeft_IsRetriedAs429AfterTheWait(int status, string header, string value, double expectedMs)
    {
        var reset = _time.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = Request("GET");
        using var response = Response(status, (header, value), ("X-RateLimit-Remaining", "4999"), ("X-RateLimit-Reset", reset));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi, random: 0).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(429, decision.StatusCode);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), decision.Delay - ServerWaitSpread.Padding);
        Assert.Equal(header.Equals("retry-after", StringComparison.OrdinalIgnoreCase) ? "Retry-After" : header, decision.SourceHeader);
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "3600")]
    [InlineData("RateLimit-Remaining", "0", "RateLimit-Reset", "3600")]
    [InlineData("RateLimit", "\"default\";r=0;t=3600", "Cache-Control", "no-store")]
    public void Decide_ShortRetryAfterWithASpentQuotaResettingInAnHour_WaitsTheRetryAfter(string quota, string quotaValue, string reset, string resetValue)
    {
        using var request = Request("GET");
        using var response = Response(429, ("Retry-After", "1"), (quota, quotaValue), (reset, resetValue));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi, random: 0).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(TimeSpan.FromSeconds(1), decision.Delay - ServerWaitSpread.Padding);
        Assert.Equal("Retry-After", decision.SourceHeader);
    }

    [Theory]
    [InlineData("Retry-After", "5", 0.0, 5_000.0)]
    [InlineData("Retry-After", "5", 0.5, 5_250.0)]
    [InlineData("Retry-After", "5", 0.999, 5_499.5)]
    [InlineData("Retry-After", "20", 0.5, 20_500.0)]
    [InlineData("retry-after-ms", "800", 0.5, 840.0)]
    [InlineData("x-ms-retry-after-ms", "2000", 1.0, 2_200.0)]
    [InlineData("RateLimit", "\"d\";r=0;t=10", 0.25, 10_250.0)]
    public void Decide_ServerAskedForAWait_WaitsThatLongPlusAtMostATenthAndAtMostOneSecond(string header, string value, double random, double expectedMs)
    {
        using var request = Request("GET");
        using var response = Response(429, (header, value));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi, random: random).Decide(Outcome.FromResult(response), request, NewState(), 3);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), decision.Delay - ServerWaitSpread.Padding);
        Assert.Equal(RetryDelaySource.ServerHeader, decision.Source);
        Assert.Equal(header, decision.SourceHeader);
    }

    [Fact]
    public void Decide_ServerWaitEqualToMaxRetryAfter_IsRetriedWithoutJitterBeyondTheCap()
    {
        using var request = Request("GET");
        using var response = Response(503, ("Retry-After", "30"));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi, random: 0.99).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(TimeSpan.FromSeconds(30), decision.Delay - ServerWaitSpread.Padding);
    }

    [Fact]
    public void Decide_ServerWaitJustBelowMaxRetryAfter_JitterStopsAtTheCap()
    {
        using var request = Request("GET");
        using var response = Response(503, ("retry-after-ms", "29800"));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi, random: 1.0).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.Equal(TimeSpan.FromSeconds(30), decision.Delay - ServerWaitSpread.Padding);
    }

    [Theory]
    [InlineData("Retry-After", "31", "00:00:31")]
    [InlineData("Retry-After", "3600", "01:00:00")]
    [InlineData("retry-after-ms", "30001", "00:00:30.0010000")]
    [InlineData("X-RateLimit-Reset", "45", "00:00:45")]
    public void Decide_ServerWaitLongerThanMaxRetryAfter_ReturnsTheResponseAtOnceAndSaysWhy(string header, string value, string wait)
    {
        using var request = Request("GET");
        using var response = Response(429, (header, value));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.False(decision.ShouldRetry);
        Assert.Equal($"the server asked to wait {wait} ({header}), longer than Retry:MaxRetryAfter (00:00:30)", decision.DeclinedBecause);
    }

    [Fact]
    public void Decide_ServerWaitWithMaxRetryAfterZero_IsNeverWaitedFor()
    {
        var decider = Decider(ResiliencePresetNames.ReadOnlyApi, configure: o => o.Retry.MaxRetryAfter = TimeSpan.Zero);
        using var request = Request("GET");
        using var response = Response(503, ("retry-after-ms", "1"));

        var decision = decider.Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.False(decision.ShouldRetry);
        Assert.Equal("the server asked to wait 00:00:00.0010000 (retry-after-ms), longer than Retry:MaxRetryAfter (00:00:00)", decision.DeclinedBecause);
    }

    [Fact]
    public void Decide_ServerWaitLongerThanWhatIsLeftOfTotalTimeout_ReturnsTheResponseAtOnceAndSaysWhy()
    {
        var decider = Decider(ResiliencePresetNames.ReadOnlyApi);
        var state = NewState();
        _time.Advance(TimeSpan.FromSeconds(50));
        using var request = Request("GET");
        using var response = Response(503, ("Retry-After", "20"));

        var decision = decider.Decide(Outcome.FromResult(response), request, state, 1);

        Assert.False(decision.ShouldRetry);
        Assert.Equal("the server asked to wait 00:00:20 (Retry-After), longer than the 00:00:10 left of TotalTimeout", decision.DeclinedBecause);
    }

    [Fact]
    public void Decide_ServerWaitNearTheEndOfTotalTimeout_JitterStopsAtTheTimeLeft()
    {
        var decider = Decider(ResiliencePresetNames.ReadOnlyApi, random: 1.0);
        var state = NewState();
        _time.Advance(TimeSpan.FromSeconds(39.9));
        using var request = Request("GET");
        using var response = Response(503, ("Retry-After", "20"));

        var decision = decider.Decide(Outcome.FromResult(response), request, state, 1);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(TimeSpan.FromSeconds(20.1), decision.Delay);
    }

    [Theory]
    [InlineData(0, 0.5, 500)]
    [InlineData(1, 0.5, 1_000)]
    [InlineData(2, 0.5, 2_000)]
    [InlineData(6, 0.5, 15_000)]
    public void Decide_NoServerWait_UsesTheBackoffForThisRetry(int retryIndex, double random, double expectedMs)
    {
        using var request = Request("GET");
        using var response = Response(503);

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi, random: random).Decide(Outcome.FromResult(response), request, NewState(), retryIndex);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), decision.Delay);
        Assert.Equal(RetryDelaySource.Backoff, decision.Source);
        Assert.Null(decision.SourceHeader);
    }

    [Fact]
    public void Decide_UnusableServerWait_FallsBackToTheBackoff()
    {
        using var request = Request("GET");
        using var response = Response(503, ("Retry-After", "Wed, 15 Jan 2025 11:00:00 GMT"));

        var decision = Decider(ResiliencePresetNames.ReadOnlyApi, random: 0.5).Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(RetryDelaySource.Backoff, decision.Source);
        Assert.Equal(TimeSpan.FromMilliseconds(500), decision.Delay);
    }

    [Theory]
    [InlineData("response")]
    [InlineData("timeout")]
    public void Decide_BackoffThatWouldOutlastTotalTimeout_IsNotTakenAndSaysWhy(string failure)
    {
        var decider = Decider(ResiliencePresetNames.ReadOnlyApi, random: 0.9);
        var state = NewState();
        _time.Advance(TimeSpan.FromSeconds(59.5));
        using var request = Request("GET");
        using var response = Response(503);
        var outcome = failure == "response" ? Outcome.FromResult(response) : Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException());

        var decision = decider.Decide(outcome, request, state, 0);

        Assert.False(decision.ShouldRetry);
        Assert.Equal("the backoff of 00:00:00.9000000 would outlast the 00:00:00.5000000 left of TotalTimeout", decision.DeclinedBecause);
    }

    [Fact]
    public void Decide_429WithRetryAfterOnceBudgetIsSpent_IsStillRetriedAfterTheNamedWait()
    {
        var decider = DeciderWithSpentBudget();
        using var request = Request("GET");
        using var response = Response(429, ("Retry-After", "1"));

        var decision = decider.Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.True(decision.ShouldRetry, decision.DeclinedBecause);
        Assert.False(decision.OverBudget);
        Assert.Equal(RetryDelaySource.ServerHeader, decision.Source);
        Assert.True(decision.Delay >= TimeSpan.FromSeconds(1));
    }

    [Theory]
    [InlineData(429, null)]
    [InlineData(500, "1")]
    [InlineData(503, null)]
    public void Decide_FailureWithoutAMeteredWaitOnceBudgetIsSpent_IsReturnedAtOnce(int status, string? retryAfter)
    {
        var decider = DeciderWithSpentBudget();
        using var request = Request("GET");
        using var response = retryAfter is null ? Response(status) : Response(status, ("Retry-After", retryAfter));

        var decision = decider.Decide(Outcome.FromResult(response), request, NewState(), 0);

        Assert.False(decision.ShouldRetry);
        Assert.True(decision.OverBudget);
        Assert.Equal("the retry budget is spent: 1 retries for 1 requests in the last 00:00:10 (RetryBudget)", decision.DeclinedBecause);
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(4, 0, true)]
    [InlineData(4, RetryDecider.MaxMeteredRetries - 1, true)]
    [InlineData(0, RetryDecider.MaxMeteredRetries, false)]
    public void MayRetry_RateSignalTheLearnedRateMeters_IsBoundedByTheMeteredCapNotByMaxRetryAttempts(int retryIndex, int meteredSoFar, bool expected)
    {
        var preset = new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, "client", BuiltInPresets.Create(ResiliencePresetNames.ReadOnlyApi));
        using var learner = new RateLearner(_time);
        var decider = new RetryDecider(preset, _time, () => 0.5, learner: learner);
        using var request = Request("GET");
        using var response = Response(429);
        var verdict = new AttemptInspector(preset.Classifier, _time).Inspect(Outcome.FromResult(response));
        learner.Observe(verdict, DateTimeOffset.MinValue, () => 10);
        var state = NewState();
        for (var i = 0; i < meteredSoFar; i++)
        {
            state.RecordRetry(429, metered: true);
        }

        var decision = decider.Decide(verdict, request, state, retryIndex);

        Assert.True(decision.MeteredByLearner);
        Assert.Equal(RetryDelaySource.LearnedRate, decision.Source);
        Assert.Equal(expected, decider.MayRetry(decision, state, retryIndex));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void MayRetry_RetryNotMetered_StopsAtMaxRetryAttempts(int retryIndex, bool expected)
    {
        var decider = Decider(ResiliencePresetNames.ReadOnlyApi);
        using var request = Request("GET");
        using var response = Response(503);
        var state = NewState();

        var decision = decider.Decide(Outcome.FromResult(response), request, state, retryIndex);

        Assert.True(decision.ShouldRetry, decision.DeclinedBecause);
        Assert.False(decision.MeteredByLearner);
        Assert.Equal(expected, decider.MayRetry(decision, state, retryIndex));
    }

    private RequestState NewState() => new(_time.GetTimestamp());

    // A budget of one retry (MinRetries 1, no ratio), already taken.
    private RetryDecider DeciderWithSpentBudget()
    {
        var budget = new ResiliencePresets.RetryBudget(maxRetryRatio: 0, minRetries: 1, TimeSpan.FromSeconds(10), _time);
        budget.RecordRequest();
        Assert.True(budget.TryAcquireRetry(out _, out _));
        var options = BuiltInPresets.Create(ResiliencePresetNames.ReadOnlyApi);
        return new RetryDecider(new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, "client", options), _time, () => 0.5, budget);
    }

    private RetryDecider Decider(string preset, double random = 0.5, Action<ResiliencePresetOptions>? configure = null)
    {
        var options = BuiltInPresets.Create(preset);
        configure?.Invoke(options);
        return new RetryDecider(new CompiledPreset(preset, "client", options), _time, () => random);
    }
}
