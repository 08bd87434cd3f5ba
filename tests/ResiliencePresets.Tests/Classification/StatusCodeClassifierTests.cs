using static ResiliencePresets.Tests.TestSupport.HttpMessages;

namespace ResiliencePresets.Tests.Classification;

public sealed class StatusCodeClassifierTests
{
    [Theory]
    [InlineData(408, "Retry")]
    [InlineData(429, "Retry")]
    [InlineData(503, "Retry")]
    [InlineData(504, "Retry")]
    [InlineData(500, "Retry(1)")]
    [InlineData(502, "Retry(2)")]
    [InlineData(400, "Never")]
    [InlineData(401, "Never")]
    [InlineData(403, "Never")]
    [InlineData(404, "Never")]
    [InlineData(405, "Never")]
    [InlineData(410, "Never")]
    [InlineData(422, "Never")]
    [InlineData(501, "Never")]
    [InlineData(505, "Never")]
    [InlineData(506, "Never")]
    [InlineData(510, "Never")]
    [InlineData(511, "Never")]
    public void Classify_StatusTheDefaultTableLists_FollowsTheTable(int status, string expected)
    {
        using var response = Response(status);

        Assert.Equal(expected, StatusCodeClassifier.Default.Classify(response).ToString());
    }

    [Theory]
    [InlineData(402)]
    [InlineData(406)]
    [InlineData(409)]
    [InlineData(411)]
    [InlineData(413)]
    [InlineData(418)]
    [InlineData(425)]
    [InlineData(451)]
    [InlineData(499)]
    public void Classify_Other4xx_IsNeverRetried(int status)
    {
        using var response = Response(status);

        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.Classify(response));
    }

    [Theory]
    [InlineData(507)]
    [InlineData(508)]
    [InlineData(509)]
    [InlineData(520)]
    [InlineData(522)]
    [InlineData(529)]
    [InlineData(599)]
    public void Classify_Unlisted5xx_IsRetriedAtMostOnce(int status)
    {
        using var response = Response(status);

        Assert.Equal(StatusCodeRule.RetryAtMost(1), StatusCodeClassifier.Default.Classify(response));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(301)]
    [InlineData(304)]
    [InlineData(399)]
    public void Classify_InformationalSuccessOrRedirect_IsNeverRetried(int status)
    {
        using var response = Response(status);

        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.Classify(response));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(999)]
    public void GetRule_NumberOutsideTheTable_IsNever(int status)
    {
        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.GetRule(status));
    }

    [Fact]
    public void DefaultRules_AreTheRulesTheDefaultClassifierApplies()
    {
        Assert.Equal(18, StatusCodeClassifier.DefaultRules.Count);
        foreach (var (code, rule) in StatusCodeClassifier.DefaultRules)
        {
            Assert.Equal(rule, StatusCodeClassifier.Default.GetRule(code));
        }
    }

    [Fact]
    public void Constructor_Overrides_ReplaceOnlyTheCodesTheyName()
    {
        var classifier = new StatusCodeClassifier(new Dictionary<int, StatusCodeRule>
        {
            [409] = StatusCodeRule.Retry,
            [500] = StatusCodeRule.Never,
            [503] = StatusCodeRule.RetryAtMost(3),
            [520] = StatusCodeRule.Never,
        });

        Assert.Equal(StatusCodeRule.Retry, classifier.GetRule(409));
        Assert.Equal(StatusCodeRule.Never, classifier.GetRule(500));
        Assert.Equal(StatusCodeRule.RetryAtMost(3), classifier.GetRule(503));
        Assert.Equal(StatusCodeRule.Never, classifier.GetRule(520));
        Assert.Equal(StatusCodeRule.RetryAtMost(2), classifier.GetRule(502));
        Assert.Equal(StatusCodeRule.Retry, classifier.GetRule(429));
        Assert.Equal(StatusCodeRule.RetryAtMost(1), classifier.GetRule(521));
        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.GetRule(409));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(-5)]
    public void Constructor_OverrideOutsideOneHundredToFiveNinetyNine_Throws(int status)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new StatusCodeClassifier([new KeyValuePair<int, StatusCodeRule>(status, StatusCodeRule.Retry)]));

        Assert.Equal("overrides", error.ParamName);
    }

    [Theory]
    [InlineData("x-should-retry", "true", 400, "Retry")]
    [InlineData("x-should-retry", "true", 501, "Retry")]
    [InlineData("x-should-retry", "true", 500, "Retry")]
    [InlineData("x-should-retry", "false", 503, "Never")]
    [InlineData("x-should-retry", "false", 429, "Never")]
    [InlineData("X-Should-Retry", "TRUE", 404, "Retry")]
    [InlineData("x-should-retry", " false ", 503, "Never")]
    [InlineData("x-should-retry", "garbage", 503, "Retry")]
    [InlineData("x-should-retry", "garbage", 404, "Never")]
    [InlineData("x-should-retry", "1", 404, "Never")]
    [InlineData("x-should-retry", "", 502, "Retry(2)")]
    [InlineData("Stripe-Should-Retry", "true", 400, "Retry")]
    [InlineData("Stripe-Should-Retry", "false", 503, "Never")]
    [InlineData("stripe-should-retry", "False", 500, "Never")]
    [InlineData("Stripe-Should-Retry", "yes", 409, "Never")]
    [InlineData("Stripe-Should-Retry", "yes", 504, "Retry")]
    public void Classify_ServerVerdict_WinsOverTheTableUnlessUnreadable(string header, string value, int status, string expected)
    {
        using var response = Response(status, (header, value));

        Assert.Equal(expected, StatusCodeClassifier.Default.Classify(response).ToString());
    }

    [Theory]
    [InlineData("false", "true", 503, "Never")]
    [InlineData("true", "false", 400, "Retry")]
    [InlineData("maybe", "true", 400, "Retry")]
    [InlineData("maybe", "false", 503, "Never")]
    public void Classify_BothVerdicts_TheOpenAiHeaderIsReadFirst(string openAi, string stripe, int status, string expected)
    {
        using var response = Response(status, ("x-should-retry", openAi), ("Stripe-Should-Retry", stripe));

        Assert.Equal(expected, StatusCodeClassifier.Default.Classify(response).ToString());
    }

    [Fact]
    public void Classify_RepeatedVerdictHeader_TheFirstReadableValueCounts()
    {
        using var response = Response(404, ("x-should-retry", "unknown"), ("x-should-retry", "true"), ("x-should-retry", "false"));

        Assert.Equal(StatusCodeRule.Retry, StatusCodeClassifier.Default.Classify(response));
    }

    [Fact]
    public void Classify_VerdictTrue_BypassesThePerStatusLimit()
    {
        using var response = Response(500, ("x-should-retry", "true"));

        Assert.Equal(StatusCodeRule.Retry, StatusCodeClassifier.Default.Classify(response));
    }

    // A retry verdict on a response that succeeded would send a completed request (a payment, say) again.
    [Theory]
    [InlineData("x-should-retry", 200)]
    [InlineData("x-should-retry", 201)]
    [InlineData("Stripe-Should-Retry", 200)]
    [InlineData("Stripe-Should-Retry", 202)]
    [InlineData("x-should-retry", 302)]
    [InlineData("x-should-retry", 100)]
    public void Classify_SuccessOrRedirectWithRetryVerdictTrue_IsNeverRetried(string header, int status)
    {
        using var response = Response(status, (header, "true"));

        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.Classify(response));
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining", "0")]
    [InlineData("x-ratelimit-remaining", " 0 ")]
    [InlineData("RateLimit-Remaining", "0")]
    [InlineData("X-Rate-Limit-Remaining", "0.0")]
    [InlineData("x-ratelimit-remaining-requests", "0")]
    [InlineData("x-ratelimit-remaining-tokens", "0")]
    [InlineData("anthropic-ratelimit-requests-remaining", "0")]
    [InlineData("anthropic-ratelimit-output-tokens-remaining", "0")]
    [InlineData("RateLimit", "\"default\";r=0;t=30")]
    [InlineData("RateLimit", "\"burst\";r=5;t=1, \"daily\";r=0;t=3600")]
    [InlineData("RateLimit", "limit=100, remaining=0, reset=30")]
    public void Classify_403WithExhaustedRateLimit_IsTreatedAs429(string header, string value)
    {
        using var response = Response(403, (header, value));

        Assert.Equal(429, StatusCodeClassifier.EffectiveStatusCode(response));
        Assert.Equal(StatusCodeRule.Retry, StatusCodeClassifier.Default.Classify(response));
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining", "1")]
    [InlineData("X-RateLimit-Remaining", "-0")]
    [InlineData("X-RateLimit-Remaining", "none")]
    [InlineData("RateLimit-Remaining", "4999")]
    [InlineData("RateLimit", "\"default\";r=3;t=30")]
    [InlineData("RateLimit", "\"default\";t=30")]
    [InlineData("X-RateLimit-Reset", "0")]
    public void Classify_403WithoutExhaustedRateLimit_StaysAPermanent403(string header, string value)
    {
        using var response = Response(403, (header, value));

        Assert.Equal(403, StatusCodeClassifier.EffectiveStatusCode(response));
        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.Classify(response));
    }

    [Theory]
    [InlineData("Retry-After", "60")]
    [InlineData("retry-after", "1")]
    [InlineData("Retry-After", "1.5")]
    [InlineData("Retry-After", "Wed, 15 Jan 2025 12:01:00 GMT")]
    [InlineData("Retry-After", "Wednesday, 15-Jan-25 12:01:00 GMT")]
    [InlineData("retry-after-ms", "500")]
    [InlineData("x-ms-retry-after-ms", "250")]
    public void Classify_403WithAServerWaitAndQuotaLeft_IsTreatedAs429(string header, string value)
    {
        using var response = Response(403, (header, value), ("X-RateLimit-Remaining", "4999"));

        Assert.Equal(429, StatusCodeClassifier.EffectiveStatusCode(response));
        Assert.Equal(StatusCodeRule.Retry, StatusCodeClassifier.Default.Classify(response));
    }

    [Theory]
    [InlineData("Retry-After", "0")]
    [InlineData("Retry-After", "-1")]
    [InlineData("Retry-After", "soon")]
    [InlineData("Retry-After", "")]
    [InlineData("retry-after-ms", "0")]
    [InlineData("x-ms-retry-after-ms", "-5")]
    [InlineData("RateLimit-Reset", "30")]
    [InlineData("X-RateLimit-Reset", "30")]
    public void Classify_403WithoutAUsableServerWait_StaysAPermanent403(string header, string value)
    {
        using var response = Response(403, (header, value));

        Assert.Equal(403, StatusCodeClassifier.EffectiveStatusCode(response));
        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.Classify(response));
    }

    [Fact]
    public void Classify_403WithAServerWaitButAVerdictNotToRetry_IsNotRetried()
    {
        using var response = Response(403, ("Retry-After", "60"), ("x-should-retry", "false"));

        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.Classify(response));
    }

    [Theory]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(400)]
    public void Classify_Other4xxWithExhaustedRateLimit_KeepsItsOwnStatus(int status)
    {
        using var response = Response(status, ("X-RateLimit-Remaining", "0"));

        Assert.Equal(status, StatusCodeClassifier.EffectiveStatusCode(response));
        Assert.Equal(StatusCodeRule.Never, StatusCodeClassifier.Default.Classify(response));
    }

    [Fact]
    public void Classify_RateLimited403_FollowsTheRuleConfiguredFor429()
    {
        var classifier = new StatusCodeClassifier([new KeyValuePair<int, StatusCodeRule>(429, StatusCodeRule.Never)]);
        using var response = Response(403, ("X-RateLimit-Remaining", "0"));

        Assert.Equal(StatusCodeRule.Never, classifier.Classify(response));
    }

    [Fact]
    public void Classify_NullResponse_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => StatusCodeClassifier.Default.Classify(null!));
    }
}
