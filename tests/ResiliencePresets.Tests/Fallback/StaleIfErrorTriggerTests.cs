using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Fallback;

public sealed class StaleIfErrorTriggerTests
{
    public static TheoryData<Exception, string?> Exceptions => new()
    {
        { new BrokenCircuitException(), "circuit_open" },
        { new IsolatedCircuitException(), "circuit_open" },
        { new ClientPausedException(), "paused" },
        { new RateLimiterRejectedException(), "rate_limited" },
        { new TimeoutRejectedException(), "timeout" },
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused"), "exception" },
        { new IOException("reset"), "exception" },
        { new TaskCanceledException("an inner timeout"), "exception" },
        { new InvalidOperationException("a bug"), null },
        { new ArgumentException("a bug"), null },
    };

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(501, false)]
    [InlineData(505, false)]
    [InlineData(429, false)]
    [InlineData(404, false)]
    [InlineData(200, false)]
    public void FailureOf_Status_IsAFailureForTheErrorsOfRfc5861Only(int status, bool failure)
    {
        using var response = HttpMessages.Response(status);

        var found = StaleIfErrorTrigger.FailureOf(Outcome.FromResult(response), CancellationToken.None);

        Assert.Equal(failure, found is not null);
        if (failure)
        {
            Assert.Equal(new StaleIfErrorFailure("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture), status), found);
        }
    }

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void FailureOf_Exception_IsAFailureForTheDependencysFailuresAndRefusals(Exception exception, string? reason)
    {
        var found = StaleIfErrorTrigger.FailureOf(Outcome.FromException<HttpResponseMessage>(exception), CancellationToken.None);

        Assert.Equal(reason, found?.Reason);
        Assert.Null(found?.StatusCode);
    }

    [Fact]
    public void FailureOf_RequestTheCallerCancelled_IsNeverAnswered()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using var response = HttpMessages.Response(503);

        Assert.Null(StaleIfErrorTrigger.FailureOf(Outcome.FromResult(response), cancelled.Token));
        Assert.Null(StaleIfErrorTrigger.FailureOf(Outcome.FromException<HttpResponseMessage>(new OperationCanceledException(cancelled.Token)), cancelled.Token));
    }
}
