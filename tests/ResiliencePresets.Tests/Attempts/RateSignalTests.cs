using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace ResiliencePresets.Tests.Attempts;

/// <summary>
/// Which attempts are rate signals: the rule shared by the breaker, the learner, the budget and the retry.
/// </summary>
public sealed class RateSignalTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(200, null, null, "None")]
    [InlineData(500, "Retry-After", "1", "None")]
    [InlineData(403, null, null, "None")]
    [InlineData(429, null, null, "Limited")]
    [InlineData(429, "Retry-After", "3600", "Limited")]
    [InlineData(403, "Retry-After", "5", "Limited")]
    [InlineData(403, "X-RateLimit-Remaining", "0", "Limited")]
    [InlineData(503, "Retry-After", "1", "Limited")]
    [InlineData(503, "Retry-After", "0", "Limited")]
    [InlineData(503, "RateLimit", "\"default\";r=0;t=1", "Limited")]
    [InlineData(503, null, null, "Bare503")]
    [InlineData(503, "x-should-retry", "true", "Bare503")]
    public void Of_Response_ReadsTheStatusAndTheWaitAndQuotaHeaders(int status, string? header, string? value, string expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (header is not null)
        {
            response.Headers.TryAddWithoutValidation(header, value);
        }

        Assert.Equal(expected, RateSignal.Of(Inspect(Outcome.FromResult(response))).ToString());
    }

    [Fact]
    public void Of_Exception_IsNoRateSignal()
    {
        Assert.Equal(RateSignalKind.None, RateSignal.Of(Inspect(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("reset")))));
    }

    [Fact]
    public void IsRateSignal_Bare503_OnlyWhileTheServerAcceptsOtherAttemptsAndLearningIsOn()
    {
        using var bare503 = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        var verdict = Inspect(Outcome.FromResult(bare503));
        using var learner = new RateLearner(_time);

        // Nothing accepted yet: an outage looks like this.
        Assert.False(RateSignal.IsRateSignal(verdict, learner, _time.GetUtcNow));
        learner.Observe(verdict, DateTimeOffset.MinValue, () => 10);
        Accept(learner);

        Assert.True(RateSignal.IsRateSignal(verdict, learner, _time.GetUtcNow));
        Assert.False(RateSignal.IsRateSignal(verdict, learner: null, _time.GetUtcNow));
        _time.Advance(RateLearner.AcceptanceWindow + TimeSpan.FromTicks(1));
        Assert.False(RateSignal.IsRateSignal(verdict, learner, _time.GetUtcNow));
    }

    [Fact]
    public void IsMeteredByLearner_OnlyOnceTheClientThrottles()
    {
        using var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        var verdict = Inspect(Outcome.FromResult(limited));
        using var learner = new RateLearner(_time);

        Assert.False(RateSignal.IsMeteredByLearner(verdict, learner, _time.GetUtcNow));
        learner.Observe(verdict, DateTimeOffset.MinValue, () => 10);

        Assert.True(RateSignal.IsMeteredByLearner(verdict, learner, _time.GetUtcNow));
        Assert.False(RateSignal.IsMeteredByLearner(verdict, learner: null, _time.GetUtcNow));
    }

    private void Accept(RateLearner learner)
    {
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);
        learner.Observe(Inspect(Outcome.FromResult(ok)), DateTimeOffset.MinValue, () => 10);
    }

    private AttemptVerdict Inspect(Outcome<HttpResponseMessage> outcome) => new AttemptInspector(StatusCodeClassifier.Default, _time).Inspect(outcome);
}
