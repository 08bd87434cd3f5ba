using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Pushback;

/// <summary>
/// Which calls through a real client from <see cref="IHttpClientFactory"/>, against WireMock.Net, record themselves in
/// the <see cref="GiveUpScope"/> they were made in, and why: the rule the pushback marks are set by.
/// </summary>
public sealed class GiveUpRuleTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public GiveUpRuleTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData("retries spent", "GET", 503, null, null, 4, "RetriesExhausted", null, 5)]
    [InlineData("a status's own limit", "GET", 500, null, null, 4, "RetriesExhausted", null, 2)]
    [InlineData("a wait longer than MaxRetryAfter", "GET", 503, "Retry-After", "120", 4, "ServerWaitTooLong", 120d, 1)]
    [InlineData("a 429's wait longer than MaxRetryAfter", "GET", 429, "retry-after-ms", "45000", 4, "ServerWaitTooLong", 45d, 1)]
    [InlineData("the server said no", "GET", 503, "x-should-retry", "false", 4, "ServerSaidNoRetry", null, 1)]
    [InlineData("the server said no, in capitals", "GET", 502, "Stripe-Should-Retry", "FALSE", 4, "ServerSaidNoRetry", null, 1)]
    [InlineData("a status never retried", "GET", 404, null, null, 4, null, null, 1)]
    [InlineData("a status never retried, though the server says no", "GET", 404, "x-should-retry", "false", 4, null, null, 1)]
    [InlineData("a success", "GET", 200, null, null, 4, null, null, 1)]
    [InlineData("a method never resent", "POST", 503, null, null, 4, null, null, 1)]
    [InlineData("retries off", "GET", 503, null, null, 0, null, null, 1)]
    [InlineData("retries off, though the server says no", "GET", 503, "x-should-retry", "false", 0, null, null, 1)]
    [InlineData("a method never resent, though the server says no", "POST", 503, "x-should-retry", "false", 4, null, null, 1)]
    [InlineData("retries off, a 429's wait longer than MaxRetryAfter", "GET", 429, "Retry-After", "120", 0, null, null, 1)]
    public async Task CallThatEnds_RecordsWhetherAndWhyThePresetGaveUp(string scenario, string method, int status, string? header, string? value, int retries, string? reason, double? waitSeconds, int calls)
    {
        var path = _server.Respond($"/give-up/{Guid.NewGuid():N}", header is null ? Status(status) : Status(status, (header, value!)));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.Retry.MaxRetryAttempts = retries;
            o.CircuitBreaker.Enabled = false;
            o.RateLimit.Adaptive = false;
        });

        using var scope = GiveUpScope.Begin();
        using (var response = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)))
        {
            Assert.Equal(status, (int)response.StatusCode);
        }

        Assert.Equal(reason, scope.Last?.Reason.ToString());
        Assert.True(scope.Last is null || scope.Last.ClientName == "api", scenario);
        Assert.Equal(waitSeconds, scope.RetryAfter?.TotalSeconds is { } s ? Math.Round(s) : null);
        Assert.Equal(calls, _server.Calls(path));
    }

    [Fact]
    public async Task RetryTheBudgetRefuses_IsRecordedAsTheBudget()
    {
        var path = _server.Respond("/give-up/budget", Status(503));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.CircuitBreaker.Enabled = false;
            (o.RetryBudget.MinRetries, o.RetryBudget.MaxRetryRatio) = (0, 0);
        });

        using var scope = GiveUpScope.Begin();
        using var response = await api.Client.GetAsync(path);

        Assert.Equal(GiveUpReason.RetryBudget, scope.Last?.Reason);
        Assert.Equal(1, _server.Calls(path));
    }

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", 4, "RetriesExhausted")]
    [InlineData(ResiliencePresetNames.IdempotentWrite, "POST", 2, "RetriesExhausted")]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "POST", 4, null)]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, "GET", 0, null)]
    public async Task CallWhoseEveryAttemptIsRefusedAConnection_RecordsWhetherThePresetGaveUp(string preset, string method, int retries, string? reason)
    {
        using var api = PresetClient.Create(preset, ClosedPort.Url(), o =>
        {
            PresetClient.FastBackoff(o);
            o.Retry.MaxRetryAttempts = retries;
            o.CircuitBreaker.Enabled = false;
        });

        using var scope = GiveUpScope.Begin();
        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/down")));

        Assert.Equal(reason, scope.Last?.Reason.ToString());
        Assert.Null(scope.RetryAfter);
    }

    [Fact]
    public async Task CallTheCallerCancels_IsNotRecorded()
    {
        var path = _server.Respond("/give-up/cancelled", Status(503));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var scope = GiveUpScope.Begin();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.Client.GetAsync(path, new CancellationToken(canceled: true)));

        Assert.Null(scope.Last);
    }
}
