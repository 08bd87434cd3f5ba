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
    [InlineData(200, null, null, false)]
    [InlineData(500, "Retry-After", "1", false)]
    [InlineData(403, null, null, false)]
    [InlineData(429, null, null, true)]
    [InlineData(429, "Retry-After", "3600", true)]
    [InlineData(403, "Retry-After", "5", true)]
    [InlineData(403, "X-RateLimit-Remaining", "0", true)]
    [InlineData(503, "Retry-After", "1", true)]
    [InlineData(503, "Retry-After", "0", true)]
    [InlineData(503, "RateLimit", "\"default\";r=0;t=1", true)]
    [InlineData(503, "X-RateLimit-Remaining", "5", false)]
    [InlineData(503, null, null, false)]
    [InlineData(503, "x-should-retry", "true", false)]
    public void IsRateSignal_Response_ReadsTheStatusAndTheWaitAndQuotaHeaders(int status, string? header, string? value, bool expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (header is not null)
        {
            response.Headers.TryAddWithoutValidation(header, value);
        }

        Assert.Equal(expected, RateSignal.IsRateSignal(Inspect(Outcome.FromResult(response))));
    }

    [Fact]
    public void IsRateSignal_Exception_IsNoRateSignal()
    {
        Assert.False(RateSignal.IsRateSignal(Inspect(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("reset")))));
    }

    // Regression: a bare 503 was a rate signal while the server answered the client's other attempts, so a flaky
    // dependency whose retries succeeded was read as a limiter and paced down to the learner's floor.
    [Fact]
    public void IsRateSignal_Bare503_IsNoRateSignalEvenWhileTheServerAcceptsOtherAttempts()
    {
        using var bare503 = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        var verdict = Inspect(Outcome.FromResult(bare503));
        using var learner = new RateLearner(_time);
        Accept(learner);

        Assert.False(RateSignal.IsRateSignal(verdict));
        Assert.Equal(ThrottlingChange.None, learner.Observe(verdict, DateTimeOffset.MinValue, () => 10));
        Assert.False(learner.IsEngaged);
    }

    // Regression: a 503 whose only quota header was a remaining count of 0 (no reset) was read as an outage, a breaker
    // failure that taught the learned rate nothing, while the same header made a 403 a 429.
    [Theory]
    [InlineData("X-RateLimit-Remaining", "0")]
    [InlineData("RateLimit-Remaining", "0.0")]
    [InlineData("X-Rate-Limit-Remaining", "0")]
    [InlineData("anthropic-ratelimit-requests-remaining", "0")]
    public void IsRateSignal_503WhoseOnlyQuotaHeaderIsASpentRemainingCount_IsARateSignalThatTeachesTheLearnedRate(string header, string value)
    {
        using var spent = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        spent.Headers.TryAddWithoutValidation(header, value);
        var verdict = Inspect(Outcome.FromResult(spent));
        using var learner = new RateLearner(_time);
        Accept(learner);

        Assert.True(RateSignal.IsRateSignal(verdict));
        Assert.False(BreakerFailure.IsFailure(verdict));
        learner.Observe(verdict, DateTimeOffset.MinValue, () => 10);
        Assert.True(learner.IsEngaged);
    }

    [Fact]
    public void IsMeteredByLearner_OnlyOnceTheClientThrottles()
    {
        using var limited = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        var verdict = Inspect(Outcome.FromResult(limited));
        using var learner = new RateLearner(_time);

        Assert.False(RateSignal.IsMeteredByLearner(verdict, learner));
        learner.Observe(verdict, DateTimeOffset.MinValue, () => 10);

        Assert.True(RateSignal.IsMeteredByLearner(verdict, learner));
        Assert.False(RateSignal.IsMeteredByLearner(verdict, learner: null));
    }

    private void Accept(RateLearner learner)
    {
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);
        learner.Observe(Inspect(Outcome.FromResult(ok)), DateTimeOffset.MinValue, () => 10);
    }

    private AttemptVerdict Inspect(Outcome<HttpResponseMessage> outcome) => new AttemptInspector(StatusCodeClassifier.Default, _time).Inspect(outcome);
}
