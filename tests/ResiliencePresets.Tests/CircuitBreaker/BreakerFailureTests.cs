using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.CircuitBreaker;

/// <summary>
/// What counts against the breaker: signs that the dependency is unhealthy, never a server metering the client.
/// </summary>
public sealed class BreakerFailureTests : IClassFixture<FlakyServer>
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FlakyServer _server;

    public BreakerFailureTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData(200, null, null, false)]
    [InlineData(404, null, null, false)]
    [InlineData(401, null, null, false)]
    [InlineData(500, null, null, true)]
    [InlineData(502, null, null, true)]
    [InlineData(503, null, null, true)]
    [InlineData(504, null, null, true)]
    [InlineData(429, null, null, false)]
    [InlineData(429, "Retry-After", "5", false)]
    [InlineData(503, "Retry-After", "5", false)]
    [InlineData(503, "retry-after-ms", "200", false)]
    [InlineData(503, "Retry-After", "0", false)]
    [InlineData(503, "RateLimit-Reset", "1", false)]
    [InlineData(403, "Retry-After", "5", false)]
    [InlineData(429, "Retry-After", "31", false)]
    [InlineData(503, "Retry-After", "3600", false)]
    [InlineData(500, "Retry-After", "1", true)]
    [InlineData(502, "Retry-After", "1", true)]
    [InlineData(503, "x-should-retry", "false", false)]
    [InlineData(400, "x-should-retry", "true", true)]
    public void IsFailure_Response_CountsWhatTheTableRetriesUnlessItIsARateSignal(int status, string? header, string? value, bool expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (header is not null)
        {
            response.Headers.TryAddWithoutValidation(header, value);
        }

        Assert.Equal(expected, BreakerFailure.IsFailure(Inspect(Outcome.FromResult(response))));
    }

    public static TheoryData<Exception, bool> Exceptions => new()
    {
        { new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused), HttpStatusCode.ServiceUnavailable), true },
        { new HttpRequestException(HttpRequestError.ConnectionError, "reset"), true },
        { new TimeoutRejectedException(), true },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "tls"), false },
        { new BrokenCircuitException(), false },
        { new OperationCanceledException(), false },
        { new InvalidOperationException(), false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void IsFailure_Exception_CountsTransportFailuresOnly(Exception exception, bool expected)
    {
        Assert.Equal(expected, BreakerFailure.IsFailure(Inspect(Outcome.FromException<HttpResponseMessage>(exception))));
    }

    // Regression: any retryable status that named a wait spared the breaker, so a dependency answering every request
    // with 500 and Retry-After: 1 never opened it, while the docs promised only a 429 or 503 with a usable wait would.
    [Fact]
    public async Task DependencyAnsweringEvery500WithRetryAfter_OpensTheBreaker()
    {
        var path = _server.Respond("/breaker/500-with-wait", Status(500, ("Retry-After", "1")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromMinutes(1);
        });

        for (var i = 0; i < 2; i++)
        {
            using var failed = await api.Client.GetAsync(path);
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync(path));
        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task ServerMeteringEveryRequestWith429AndAWait_NeverOpensTheBreaker()
    {
        var path = _server.Respond("/breaker/429-with-wait", Status(429, ("retry-after-ms", "1")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
        });

        for (var i = 0; i < 4; i++)
        {
            using var response = await api.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        Assert.Equal(4, _server.Calls(path));
    }

    private AttemptVerdict Inspect(Outcome<HttpResponseMessage> outcome) => new AttemptInspector(StatusCodeClassifier.Default, _time).Inspect(outcome);
}
