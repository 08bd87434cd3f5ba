using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly.RateLimiting;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.RateLimiting;

/// <summary>
/// Each named client behaves as one polite citizen: a server's wait holds all its requests, a configured rate spaces
/// them, remaining-quota headers spread them, and the retry budget stops retries from multiplying load.
/// </summary>
public sealed class LoadProtectionTests : IClassFixture<FlakyServer>
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private readonly FlakyServer _server;

    public LoadProtectionTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task ServerWait_HoldsTheClientsNextRequests_ButNotOtherClients()
    {
        var limited = _server.Respond("/load/pause/limited", Status(429, ("Retry-After", "1")));
        var next = _server.Respond("/load/pause/next", Status(200));
        var other = _server.Respond("/load/pause/other", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, NoRetries);
        using var bystander = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, NoRetries, clientName: "bystander");

        using var first = await api.Client.GetAsync(limited);
        var held = api.Client.GetAsync(next);
        using var unaffected = await bystander.Client.GetAsync(other);
        using var second = await held;

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var limitedAt = _server.Requests(limited).Single().RequestMessage.DateTime;
        var nextAt = _server.Requests(next).Single().RequestMessage.DateTime;
        Assert.True(nextAt - limitedAt >= TimeSpan.FromSeconds(1), $"the next request came {nextAt - limitedAt} after the 429");
        Assert.True(_server.Requests(other).Single().RequestMessage.DateTime < nextAt, "the other client was held too");
    }

    [Fact]
    public async Task ServerWaitLongerThanMaxRetryAfter_HoldsTheClientOnlyThatLong()
    {
        var limited = _server.Respond("/load/cap/limited", Status(503, ("Retry-After", "3600")));
        var next = _server.Respond("/load/cap/next", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            NoRetries(o);
            o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(1);
        });

        using var first = await api.Client.GetAsync(limited);
        using var second = await api.Client.GetAsync(next);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var gap = _server.Requests(next).Single().RequestMessage.DateTime - _server.Requests(limited).Single().RequestMessage.DateTime;
        Assert.True(gap >= TimeSpan.FromSeconds(1), $"held {gap}");
    }

    [Fact]
    public async Task ConfiguredRate_SpacesTheClientsRequests()
    {
        var path = _server.Respond("/load/rate", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.RateLimit.PermitsPerSecond = 10;
            o.RateLimit.Burst = 1;
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => api.Client.GetAsync(path)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var times = _server.Requests(path).Select(r => r.RequestMessage.DateTime).ToList();
        Assert.True(times[^1] - times[0] >= TimeSpan.FromMilliseconds(350), $"5 requests at 10/s took {times[^1] - times[0]}");
    }

    [Fact]
    public async Task FullQueue_RejectsAtOnceSayingWhenToComeBack()
    {
        var path = _server.Respond("/load/queue", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.RateLimit.PermitsPerMinute = 1;
            o.RateLimit.Burst = 1;
            o.RateLimit.QueueLimit = 0;
        });

        using var first = await api.Client.GetAsync(path);
        var error = await Assert.ThrowsAsync<RateLimiterRejectedException>(() => api.Client.GetAsync(path));

        Assert.NotNull(error.RetryAfter);
        Assert.Equal(1, _server.Calls(path));
        Assert.Contains(api.Logs.Entries, e => e.EventId.Name == "RateLimitRejected" && e.Message.Contains("api", StringComparison.Ordinal));
    }

    [Fact]
    public async Task QuotaHeaders_SpreadTheRemainingRequestsOverTheWindow()
    {
        var path = _server.Respond("/load/quota", Status(200, ("RateLimit-Remaining", "2"), ("RateLimit-Reset", "1")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        for (var i = 0; i < 3; i++)
        {
            using var response = await api.Client.GetAsync(path);
        }

        // Two requests left in one second: the second starts at once, the third half a second after it.
        var gaps = _server.Gaps(path);
        Assert.True(gaps[1] >= TimeSpan.FromMilliseconds(450), $"gaps {string.Join(", ", gaps)}");
    }

    [Fact]
    public async Task QuotaOfTheNextWindow_PacesItsOwnRequests_NotBehindTheSlotsOfTheLastWindow()
    {
        var time = new TimerRecordingTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var lastRequest = ("RateLimit-Remaining", "1");
        var window = ("RateLimit-Reset", "7");
        var path = _server.Respond("/load/quota-next-window", Status(200, lastRequest, window), Status(200, lastRequest, window), Status(200, ("RateLimit-Remaining", "100"), window));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, services: s => s.AddSingleton<TimeProvider>(time));
        using (await api.Client.GetAsync(path))
        using (await api.Client.GetAsync(path))
        {
        }

        // One request left in 7 s: the next one waits for the window's end, and the window that follows has 100.
        var slot = time.NextTimer(due => due > TimeSpan.FromSeconds(6) && due <= TimeSpan.FromSeconds(7));
        var held = api.Client.GetAsync(path);
        time.Advance(await slot.WaitAsync(TestTimeout));
        using (await held.WaitAsync(TestTimeout))
        {
        }

        // Sent at once: the fake clock does not move while it runs.
        using var next = await api.Client.GetAsync(path).WaitAsync(TestTimeout);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(4, _server.Calls(path));
    }

    [Fact]
    public async Task QuotaPacing_NeverHoldsAnAttemptLongerThanMaxRetryAfter()
    {
        var path = _server.Respond("/load/quota-cap", Status(200, ("RateLimit-Remaining", "1"), ("RateLimit-Reset", "3600")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAfter = TimeSpan.FromMilliseconds(300));

        for (var i = 0; i < 3; i++)
        {
            using var response = await api.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // One request an hour is what the quota asks; the cap lets each attempt wait 0.3 s at most (a timer may fire a
        // tick early, hence the margin).
        Assert.Equal(3, _server.Calls(path));
        Assert.True(_server.Gaps(path)[1] >= TimeSpan.FromMilliseconds(250), $"gaps {string.Join(", ", _server.Gaps(path))}");
    }

    [Theory]
    [InlineData(1, "RateLimit-Reset", "253402300799")]
    [InlineData(2, "RateLimit-Reset", "1000000000")]
    [InlineData(3, "RateLimit", "\"default\";r=5;t=500000000000")]
    [InlineData(4, "RateLimit", "\"default\";r=1;t=922337203684")]
    public async Task HugeQuotaResetOnA200_ReturnsTheResponseAndPacesTheNextRequestsAtMostMaxRetryAfter(int row, string header, string value)
    {
        var path = _server.Respond($"/load/huge-reset/{row}", Status(200, (header, value), ("RateLimit-Remaining", "5")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.Retry.MaxRetryAfter = TimeSpan.FromMilliseconds(200));

        for (var i = 0; i < 3; i++)
        {
            using var response = await api.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The window ends decades or thousands of years from now (the last second of 9999 as a Unix time, the largest
        // delta): each attempt waits its slot, capped at Retry:MaxRetryAfter.
        Assert.Equal(3, _server.Calls(path));
        Assert.True(_server.Gaps(path)[1] >= TimeSpan.FromMilliseconds(150), $"gaps {string.Join(", ", _server.Gaps(path))}");
    }

    [Theory]
    [InlineData("X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "epoch")]
    [InlineData("RateLimit-Remaining", "0", "RateLimit-Reset", "3600")]
    [InlineData("RateLimit", "\"default\";r=0;t=3600", null, null)]
    public async Task ShortRetryAfterWithASpentQuotaResettingInAnHour_RetriesAfterTheRetryAfter(string quotaHeader, string quotaValue, string? resetHeader, string? resetValue)
    {
        (string, string)[] headers = resetHeader is null
            ? [("Retry-After", "1"), (quotaHeader, quotaValue)]
            : [("Retry-After", "1"), (quotaHeader, quotaValue), (resetHeader, resetValue == "epoch" ? DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : resetValue!)];
        var path = _server.Respond($"/load/retry-after-wins/{quotaHeader}", Status(429, headers), Status(200));

        // The quota reset would hold the retry for the 30 s cap, beyond the 5 s total timeout; Retry-After asks for 1 s.
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.TotalTimeout = o.AttemptTimeout = TimeSpan.FromSeconds(5));

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(_server.Gaps(path)) >= TimeSpan.FromSeconds(1), $"gaps {string.Join(", ", _server.Gaps(path))}");
    }

    [Fact]
    public async Task ShortRetryAfterWithASpentQuotaResettingInAnHour_HoldsTheClientsNextRequestsOnlyForTheRetryAfter()
    {
        var limited = _server.Respond("/load/retry-after-pause/limited", Status(429, ("Retry-After", "1"), ("RateLimit-Remaining", "0"), ("RateLimit-Reset", "3600")));
        var next = _server.Respond("/load/retry-after-pause/next", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            NoRetries(o);
            o.TotalTimeout = o.AttemptTimeout = TimeSpan.FromSeconds(5);
        });

        using var first = await api.Client.GetAsync(limited);
        using var second = await api.Client.GetAsync(next);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var gap = _server.Requests(next).Single().RequestMessage.DateTime - _server.Requests(limited).Single().RequestMessage.DateTime;
        Assert.True(gap >= TimeSpan.FromSeconds(1), $"held {gap}");
    }

    [Fact]
    public async Task SpentRetryBudget_ReturnsTheFailureAtOnceAndSaysWhy()
    {
        var path = _server.Respond("/load/budget", Status(503));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.RetryBudget.MinRetries = 2;
            o.RetryBudget.MaxRetryRatio = 0;
        });

        using var first = await api.Client.GetAsync(path);
        var afterFirst = _server.Calls(path);
        using var second = await api.Client.GetAsync(path);

        Assert.Equal(1 + 2, afterFirst);
        Assert.Equal(afterFirst + 1, _server.Calls(path));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Contains(api.Logs.Entries, e => e.EventId.Name == "RetryDeclined" && e.Message.Contains("the retry budget is spent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisabledRetryBudget_LetsEveryRequestUseItsRetries()
    {
        var path = _server.Respond("/load/no-budget", Status(503));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.RetryBudget.Enabled = false;
            o.RetryBudget.MinRetries = 0;
            o.RetryBudget.MaxRetryRatio = 0;
        });

        for (var i = 0; i < 3; i++)
        {
            using var response = await api.Client.GetAsync(path);
        }

        Assert.Equal(3 * 5, _server.Calls(path));
    }

    private static void NoRetries(ResiliencePresetOptions options) => options.Retry.MaxRetryAttempts = 0;
}
