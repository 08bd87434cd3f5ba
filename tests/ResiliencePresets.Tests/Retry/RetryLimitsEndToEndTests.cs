using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Retry;

/// <summary>
/// What a real client from <see cref="IHttpClientFactory"/> does, against WireMock.Net on a fake clock, when a retry
/// would outlast its total timeout or its retry budget: the caller gets the server's answer at once, headers included.
/// No test advances the clock, so a client that waited would never answer.
/// </summary>
public sealed class RetryLimitsEndToEndTests : IClassFixture<FlakyServer>
{
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(20);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FlakyServer _server;

    public RetryLimitsEndToEndTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData(429, "Retry-After", "25", "longer than the 00:00:20 left of TotalTimeout")]
    [InlineData(503, "Retry-After", "25", "longer than the 00:00:20 left of TotalTimeout")]
    [InlineData(429, "retry-after-ms", "25000", "longer than the 00:00:20 left of TotalTimeout")]
    [InlineData(429, "Retry-After", "Tue, 01 Dec 2026 12:00:25 GMT", "longer than the 00:00:20 left of TotalTimeout")]
    [InlineData(429, "Retry-After", "31", "longer than Retry:MaxRetryAfter (00:00:30)")]
    [InlineData(429, "Retry-After", "Tue, 01 Dec 2026 13:00:00 GMT", "longer than Retry:MaxRetryAfter (00:00:30)")]
    public async Task ServerWaitLongerThanThePresetHonors_ReturnsTheResponseAtOnceWithItsHeaders(int status, string header, string value, string reason)
    {
        var path = _server.Respond($"/wait-too-long/{Guid.NewGuid():N}", Status(status, (header, value), ("x-request-id", "r-1")));
        using var api = Client(o => (o.AttemptTimeout, o.TotalTimeout) = (TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));

        using var response = await api.Client.GetAsync(path).WaitAsync(AtOnce);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal([value], response.Headers.GetValues(header));
        Assert.Equal(["r-1"], response.Headers.GetValues("x-request-id"));
        Assert.Equal(1, _server.Calls(path));
        Assert.Contains(api.Logs.Entries, e => e.EventId.Name == "RetryDeclined" && e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SpentRetryBudget_ReturnsTheFailureAtOnceAndLogsWhy()
    {
        var path = _server.Respond("/budget/bare-503", Status(503));
        using var api = Client(o =>
        {
            (o.Retry.MaxRetryAttempts, o.Retry.BaseDelay, o.Retry.MaxDelay) = (1, TimeSpan.Zero, TimeSpan.Zero);
            (o.RetryBudget.MinRetries, o.RetryBudget.MaxRetryRatio) = (0, 0.5);
        });

        using (var first = await api.Client.GetAsync(path).WaitAsync(AtOnce))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        }

        Assert.Equal(2, _server.Calls(path));

        // One retry for two requests is the half the budget allows: the second request's retry is refused.
        using var second = await api.Client.GetAsync(path).WaitAsync(AtOnce);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(3, _server.Calls(path));
        Assert.Contains(api.Logs.Entries, e => e.EventId.Name == "RetryDeclined" &&
            e.Message.Contains("the retry budget is spent: 1 retries for 2 requests in the last 00:00:10 (RetryBudget)", StringComparison.Ordinal));

        // Once the window has passed, the budget allows a retry again.
        _time.Advance(TimeSpan.FromSeconds(10));
        using var third = await api.Client.GetAsync(path).WaitAsync(AtOnce);
        Assert.Equal(5, _server.Calls(path));
    }

    [Fact]
    public async Task RetryBudgetOfZero_StillLetsEveryFirstAttemptThrough()
    {
        var path = _server.Respond("/budget/zero", Status(500));
        using var api = Client(o =>
        {
            (o.Retry.BaseDelay, o.Retry.MaxDelay) = (TimeSpan.Zero, TimeSpan.Zero);
            (o.RetryBudget.MinRetries, o.RetryBudget.MaxRetryRatio) = (0, 0);
        });

        for (var i = 0; i < 3; i++)
        {
            using var response = await api.Client.GetAsync(path).WaitAsync(AtOnce);
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        Assert.Equal(3, _server.Calls(path));
    }

    private PresetClient Client(Action<ResiliencePresetOptions> configure)
        => PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.RateLimit.Adaptive = false;
            o.CircuitBreaker.Enabled = false;
            configure(o);
        }, services: s => s.AddSingleton<TimeProvider>(_time));
}
