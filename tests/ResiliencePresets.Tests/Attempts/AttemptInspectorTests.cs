using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;

namespace ResiliencePresets.Tests.Attempts;

/// <summary>
/// Each field of an attempt's verdict, read from the response or exception alone.
/// </summary>
public sealed class AttemptInspectorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Now);

    [Theory]
    [InlineData(200, "", 200, 200)]
    [InlineData(503, "", 503, 503)]
    [InlineData(403, "", 403, 403)]
    [InlineData(403, "X-RateLimit-Remaining: 0", 403, 429)]
    [InlineData(403, "RateLimit-Remaining: 0", 403, 429)]
    [InlineData(403, "RateLimit: \"default\";r=0;t=30", 403, 429)]
    [InlineData(403, "Retry-After: 60", 403, 429)]
    [InlineData(403, "X-RateLimit-Remaining: 12", 403, 403)]
    [InlineData(403, "x-ratelimit-remaining-requests: 0", 403, 429)]
    [InlineData(403, "anthropic-ratelimit-tokens-remaining: 0|anthropic-ratelimit-tokens-reset: 2026-12-01T12:00:30Z", 403, 429)]
    [InlineData(403, "x-ratelimit-remaining-requests: 5|x-ratelimit-reset-requests: 1s", 403, 403)]
    public void Inspect_StatusCodes_AreTheResponsesAndTheOneTheTableIsConsultedWith(int status, string headers, int expectedStatus, int expectedEffective)
    {
        var verdict = Inspect(status, headers);

        Assert.Equal((expectedStatus, expectedEffective), (verdict.StatusCode, verdict.EffectiveStatusCode));
    }

    [Theory]
    [InlineData(503, "", true, null)]
    [InlineData(404, "", false, null)]
    [InlineData(500, "", true, 1)]
    [InlineData(503, "x-should-retry: false", false, null)]
    [InlineData(400, "Stripe-Should-Retry: true", true, null)]
    [InlineData(200, "x-should-retry: true", false, null)]
    public void Inspect_Rule_IsTheServersVerdictElseTheTables(int status, string headers, bool expectedRetry, int? expectedMax)
    {
        var verdict = Inspect(status, headers);

        Assert.Equal((expectedRetry, expectedMax), (verdict.Rule.IsRetry, verdict.Rule.MaxRetries));
    }

    [Theory]
    [InlineData(503, "x-should-retry: false", false)]
    [InlineData(503, "Stripe-Should-Retry: true", true)]
    [InlineData(503, "", null)]
    [InlineData(200, "x-should-retry: false", null)]
    public void Inspect_ServerVerdict_IsReadOnErrorResponsesOnly(int status, string headers, bool? expected)
    {
        Assert.Equal(expected, Inspect(status, headers).ServerVerdict);
    }

    [Theory]
    [InlineData("Retry-After: 5", 5_000, "Retry-After", true)]
    [InlineData("retry-after-ms: 250", 250, "retry-after-ms", true)]
    [InlineData("Retry-After: 1|X-RateLimit-Remaining: 0|X-RateLimit-Reset: 3600", 1_000, "Retry-After", true)]
    [InlineData("X-RateLimit-Remaining: 0|X-RateLimit-Reset: 20", 20_000, "X-RateLimit-Reset", false)]
    [InlineData("RateLimit: \"default\";r=0;t=7", 7_000, "RateLimit", false)]
    [InlineData("x-ratelimit-remaining-requests: 0|x-ratelimit-reset-requests: 1s", 1_000, "x-ratelimit-reset-requests", false)]
    [InlineData("x-ratelimit-remaining-requests: 3|x-ratelimit-reset-requests: 1s|x-ratelimit-remaining-tokens: 0|x-ratelimit-reset-tokens: 20ms", 20, "x-ratelimit-reset-tokens", false)]
    [InlineData("retry-after-ms: 734|x-ratelimit-limit-requests: 20|x-ratelimit-remaining-requests: 0|x-ratelimit-reset-requests: 734ms", 734, "retry-after-ms", true)]
    [InlineData("anthropic-ratelimit-requests-remaining: 0|anthropic-ratelimit-requests-reset: 2026-12-01T12:00:03Z", 3_000, "anthropic-ratelimit-requests-reset", false)]
    [InlineData("retry-after: 2|anthropic-ratelimit-output-tokens-remaining: 0|anthropic-ratelimit-output-tokens-reset: 2026-12-01T12:01:00Z", 2_000, "Retry-After", true)]
    [InlineData("x-ratelimit-remaining-requests: 0|x-ratelimit-reset-requests: 0s", null, null, false)]
    [InlineData("x-ratelimit-remaining-requests: 2|x-ratelimit-reset-requests: 1s", null, null, false)]
    [InlineData("Retry-After: 0", null, null, false)]
    [InlineData("", null, null, false)]
    public void Inspect_ServerWait_IsTheExplicitWaitElseASpentQuotasReset(string headers, int? expectedMs, string? expectedHeader, bool explicitWait)
    {
        var verdict = Inspect(429, headers);

        Assert.Equal(expectedMs is int ms ? TimeSpan.FromMilliseconds(ms) : null, verdict.ServerWait?.Delay);
        Assert.Equal(expectedHeader, verdict.ServerWait?.HeaderName);
        Assert.Equal(explicitWait, verdict.WaitIsExplicit);
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining: 40|X-RateLimit-Reset: 20", 40L, 20, "X-RateLimit-Reset")]
    [InlineData("RateLimit-Remaining: 0|RateLimit-Reset: 5", 0L, 5, "RateLimit-Reset")]
    [InlineData("RateLimit: \"default\";r=9;t=3", 9L, 3, "RateLimit")]
    [InlineData("X-RateLimit-Remaining: 40", null, 0, null)]
    [InlineData("x-ratelimit-remaining-requests: 59|x-ratelimit-reset-requests: 6m0s", 59L, 360, "x-ratelimit-reset-requests")]
    [InlineData("x-ratelimit-remaining-requests: 59|x-ratelimit-reset-requests: 1s|x-ratelimit-remaining-tokens: 0|x-ratelimit-reset-tokens: 6m0s", 0L, 360, "x-ratelimit-reset-tokens")]
    [InlineData("x-ratelimit-remaining-tokens: 1000|x-ratelimit-reset-tokens: 6m0s", null, 0, null)]
    [InlineData("anthropic-ratelimit-requests-remaining: 49|anthropic-ratelimit-requests-reset: 2026-12-01T12:00:07.5Z", 49L, 7.5, "anthropic-ratelimit-requests-reset")]
    [InlineData("", null, 0, null)]
    public void Inspect_Quota_IsWhatRemainsAndWhenItResets(string headers, long? remaining, double resetSeconds, string? header)
    {
        var verdict = Inspect(200, headers);

        Assert.Equal((remaining, TimeSpan.FromSeconds(resetSeconds), header), (verdict.QuotaRemaining, verdict.QuotaResetIn, verdict.QuotaHeader));
    }

    [Theory]
    [InlineData("x-ratelimit-remaining: 0|x-ratelimit-reset: 1795000000|x-ratelimit-resource: search", "search")]
    [InlineData("x-ratelimit-remaining: 10|x-ratelimit-reset: 1795000000|x-ratelimit-resource: core", "core")]
    [InlineData("x-ratelimit-remaining: 10|x-ratelimit-reset: 1795000000|x-ratelimit-resource: not a name", null)]
    [InlineData("RateLimit: \"search\";r=0;t=30", "search")]
    [InlineData("RateLimit: \"a\";r=0;t=5, \"b\";r=10;t=100", "a")]
    [InlineData("RateLimit-Remaining: 0|RateLimit-Reset: 5", null)]
    [InlineData("Retry-After: 5", null)]
    public void Inspect_Scope_IsTheLimitTheServerNamed(string headers, string? scope)
    {
        Assert.Equal(scope, Inspect(429, headers).Scope);
    }

    [Fact]
    public void Inspect_ResponseWithoutWaitHeaders_ReadsNoClock()
    {
        var verdict = Inspect(200, "Content-Language: en");

        Assert.False(verdict.HasWaitHeaders);
        Assert.Equal(default, verdict.ReadAt);
    }

    [Fact]
    public void Inspect_ResponseWithAWaitHeader_IsReadAtNow()
    {
        var verdict = Inspect(503, "Retry-After: 2");

        Assert.True(verdict.HasWaitHeaders);
        Assert.Equal(Now, verdict.ReadAt);
    }

    [Fact]
    public void Inspect_Exception_IsItsTransportFailureKind()
    {
        var timeout = new TimeoutRejectedException();

        var verdict = new AttemptInspector(StatusCodeClassifier.Default, _time).Inspect(Outcome.FromException<HttpResponseMessage>(timeout));

        Assert.False(verdict.IsResponse);
        Assert.Same(timeout, verdict.Exception);
        Assert.Equal(TransportFailureKind.MayHaveReachedServer, verdict.Failure);
    }

    private AttemptVerdict Inspect(int status, string headers)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        foreach (var header in headers.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            response.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 1)..].Trim());
        }

        return new AttemptInspector(StatusCodeClassifier.Default, _time).Inspect(Outcome.FromResult(response));
    }
}
