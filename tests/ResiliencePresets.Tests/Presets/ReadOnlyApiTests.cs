using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using WireMock.ResponseBuilders;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Presets;

public sealed class ReadOnlyApiTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public ReadOnlyApiTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task Get_TransientStatusThenOk_IsRetriedAndSucceeds(int status)
    {
        var path = _server.Respond($"/transient/{status}", Status(status), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(410)]
    [InlineData(422)]
    [InlineData(501)]
    [InlineData(505)]
    public async Task Get_PermanentStatus_IsSentOnceAndReturned(int status)
    {
        var path = _server.Respond($"/permanent/{status}", Status(status), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    [Theory]
    [InlineData(500, 2)]
    [InlineData(502, 3)]
    [InlineData(503, 5)]
    public async Task Get_StatusThatKeepsFailing_IsRetriedWithinItsLimitAndTheLastResponseReturned(int status, int expectedCalls)
    {
        var path = _server.Respond($"/always/{status}", Status(status, ("X-Attempt", "last")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("last", Assert.Single(response.Headers.GetValues("X-Attempt")));
        Assert.Equal(expectedCalls, _server.Calls(path));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task UnsafeMethodReturning503_IsSentOnce(string method)
    {
        var path = _server.Respond($"/unsafe/{method}", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task Post_AttemptTimeout_IsNotRetriedAndTheTimeoutReachesTheCaller()
    {
        var path = _server.Respond("/slow-post", Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)));
        var counter = new AttemptCounter();
        using var api = PresetClient.Create(
            ResiliencePresetNames.ReadOnlyApi,
            _server.Url,
            o =>
            {
                PresetClient.FastBackoff(o);
                o.AttemptTimeout = TimeSpan.FromMilliseconds(200);
            },
            client: b => b.AddHttpMessageHandler(() => counter));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => api.Client.PostAsync(path, new StringContent("x")));

        Assert.Equal(1, counter.Attempts);
    }

    [Fact]
    public async Task Get_AttemptTimeout_IsRetried()
    {
        var path = _server.RespondSlowOnce("/slow-get", TimeSpan.FromSeconds(3));
        var counter = new AttemptCounter();
        using var api = PresetClient.Create(
            ResiliencePresetNames.ReadOnlyApi,
            _server.Url,
            o =>
            {
                PresetClient.FastBackoff(o);
                o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            },
            client: b => b.AddHttpMessageHandler(() => counter));

        using var response = await api.Client.GetAsync(path);

        // The first attempt timed out; on a loaded machine a cold second one may too, which is retried the same way.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.InRange(counter.Attempts, 2, 5);
    }

    [Fact]
    public async Task Get_ConnectionRefused_IsRetriedThenTheExceptionReachesTheCaller()
    {
        var counter = new AttemptCounter();
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, ClosedPort.Url(), client: b => b.AddHttpMessageHandler(() => counter));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.GetAsync("/nothing-listens"));

        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
        Assert.Equal(5, counter.Attempts);
    }

    [Fact]
    public async Task Get_ResponseThenConnectionResetOnTheLastAttempt_TheLastAttemptsExceptionReachesTheCaller()
    {
        var server = new RecordingServer();
        await server.InitializeAsync();
        try
        {
            var path = server.Script("/503-then-reset", ServerAnswer.WithStatus(503), ServerAnswer.ResetBeforeBody);
            using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, server.Url, o =>
            {
                PresetClient.FastBackoff(o);
                o.Retry.MaxRetryAttempts = 1;
            });

            await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.GetAsync(path));

            Assert.Equal(2, server.Requests(path).Count);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Post_ConnectionRefused_IsSentOnce()
    {
        var counter = new AttemptCounter();
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, ClosedPort.Url(), client: b => b.AddHttpMessageHandler(() => counter));

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.PostAsync("/nothing-listens", new StringContent("x")));

        Assert.Equal(1, counter.Attempts);
    }

    [Fact]
    public async Task Get_CallerCancels_IsNotRetried()
    {
        var path = _server.Respond("/cancelled", Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)));
        var counter = new AttemptCounter();
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, client: b => b.AddHttpMessageHandler(() => counter));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => api.Client.GetAsync(path, cancellation.Token));

        Assert.Equal(1, counter.Attempts);
    }

    [Fact]
    public async Task Get_ServerVerdictFalse_WinsOverTheTable()
    {
        var path = _server.Respond("/verdict-false", Status(503, ("x-should-retry", "false")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task Get_StripeVerdictTrue_RetriesAStatusTheTableNeverRetries()
    {
        var path = _server.Respond("/verdict-true", Status(409, ("Stripe-Should-Retry", "true")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task Get_RetryAfterSeconds_WaitsAtLeastWhatTheServerAsked()
    {
        var path = _server.Respond("/retry-after-seconds", Status(429, ("Retry-After", "1")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(_server.Gaps(path)) >= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Get_RetryAfterHttpDate_WaitsUntilThatDate()
    {
        // HTTP-dates have whole seconds; two seconds ahead is at least one full second after the response.
        var until = DateTimeOffset.UtcNow.AddSeconds(2);
        var path = _server.Respond("/retry-after-date", Status(503, ("Retry-After", until.ToString("r", CultureInfo.InvariantCulture))), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var retried = _server.Requests(path)[1].RequestMessage.DateTime;
        Assert.True(retried >= new DateTime(until.UtcDateTime.Ticks - (until.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("retry-after-ms", "700", 700)]
    [InlineData("x-ms-retry-after-ms", "600", 600)]
    [InlineData("RateLimit", "\"default\";r=0;t=1", 1000)]
    [InlineData("RateLimit-Reset", "1", 1000)]
    public async Task Get_VendorWaitHeader_WaitsAtLeastWhatTheServerAsked(string header, string value, int expectedMs)
    {
        var path = _server.Respond($"/vendor/{header}", Status(429, (header, value)), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(_server.Gaps(path)) >= TimeSpan.FromMilliseconds(expectedMs));
    }

    [Fact]
    public async Task Get_GitHubRateLimited403_WaitsUntilTheEpochReset()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds();
        var path = _server.Respond(
            "/github-403",
            Status(403, ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset.ToString(CultureInfo.InvariantCulture))),
            Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(_server.Requests(path)[1].RequestMessage.DateTime >= DateTimeOffset.FromUnixTimeSeconds(reset).UtcDateTime);
    }

    [Theory]
    [InlineData(403, "retry-after", "1", 1000)]
    [InlineData(403, "retry-after-ms", "800", 800)]
    [InlineData(403, "x-ms-retry-after-ms", "800", 800)]
    [InlineData(429, "retry-after", "1", 1000)]
    public async Task Get_SecondaryRateLimitWithAWaitAndQuotaLeft_IsRetriedAfterTheWait(int status, string header, string value, int expectedMs)
    {
        // GitHub's secondary rate limit: a 403 (or 429) with retry-after while the primary quota still has requests left.
        var reset = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var path = _server.Respond(
            $"/github-secondary/{status}/{header}",
            Status(status, (header, value), ("x-ratelimit-remaining", "4999"), ("x-ratelimit-reset", reset)),
            Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(_server.Gaps(path)) >= TimeSpan.FromMilliseconds(expectedMs), $"gaps {string.Join(", ", _server.Gaps(path))}");
    }

    [Fact]
    public async Task Get_DecimalRetryAfter_WaitsTheSecondsRoundedUp()
    {
        var path = _server.Respond("/retry-after-decimal", Status(503, ("Retry-After", "1.5")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(Assert.Single(_server.Gaps(path)) >= TimeSpan.FromSeconds(2), $"gaps {string.Join(", ", _server.Gaps(path))}");
        Assert.Contains(api.Logs.Entries, e => e.EventId.Name == "RetryScheduled" && e.Message.Contains("Retry-After", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_RetryAfterBeyondMaxRetryAfter_ReturnsTheResponseAtOnceWithItsHeaders()
    {
        var path = _server.Respond("/retry-after-too-long", Status(429, ("Retry-After", "120")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, _server.Calls(path));
        Assert.Contains(api.Logs.Entries, e => e.Message.Contains("longer than Retry:MaxRetryAfter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_RetryAfterBeyondWhatIsLeftOfTotalTimeout_ReturnsTheResponseAtOnce()
    {
        var path = _server.Respond("/retry-after-past-deadline", Status(503, ("Retry-After", "20")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.Retry.MaxRetryAfter = TimeSpan.FromMinutes(1);
            o.TotalTimeout = TimeSpan.FromSeconds(10);
        });

        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, _server.Calls(path));
    }

    [Fact]
    public async Task Get_BreakerOpens_FailsFastWithoutTouchingTheNetwork()
    {
        var path = _server.Respond("/outage", Status(503));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 4;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromMinutes(1);
        });

        for (var i = 0; i < 4; i++)
        {
            using var failed = await api.Client.GetAsync(path);
        }

        await Assert.ThrowsAsync<BrokenCircuitException>(() => api.Client.GetAsync(path));
        Assert.Equal(4, _server.Calls(path));
    }

    [Fact]
    public async Task Get_NeverRetried4xx_DoesNotOpenTheBreaker()
    {
        var path = _server.Respond("/not-found-storm", Status(404));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
        });

        for (var i = 0; i < 6; i++)
        {
            using var response = await api.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(6, _server.Calls(path));
    }

    [Fact]
    public async Task Get_429WithUsableRetryAfter_DoesNotOpenTheBreaker()
    {
        var path = _server.Respond("/polite-429", Status(429, ("retry-after-ms", "1")));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
        });

        for (var i = 0; i < 6; i++)
        {
            using var response = await api.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        Assert.Equal(6, _server.Calls(path));
    }

    [Fact]
    public async Task Retry_IsLoggedWithoutQueryStringOrHeaderValues()
    {
        var path = _server.Respond("/logged", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, clientName: "github");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{path}?access_token=query-secret-1");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "header-secret-2");
        request.Headers.Add("Cookie", "session=cookie-secret-3");

        using var response = await api.Client.SendAsync(request);

        var retry = Assert.Single(api.Logs.Entries, e => e.EventId.Name == "RetryScheduled");
        Assert.StartsWith($"Retrying github GET {_server.Url}/logged after 503: retry 1 in ", retry.Message, StringComparison.Ordinal);
        Assert.EndsWith("ms, delay from backoff.", retry.Message, StringComparison.Ordinal);
        var everything = api.Logs.AllText();
        Assert.DoesNotContain("query-secret-1", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("header-secret-2", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("cookie-secret-3", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_AfterServerWait_IsLoggedWithTheHeaderItCameFrom()
    {
        var path = _server.Respond("/logged-wait", Status(429, ("retry-after-ms", "50")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        var retry = Assert.Single(api.Logs.Entries, e => e.EventId.Name == "RetryScheduled");
        Assert.EndsWith("delay from retry-after-ms.", retry.Message, StringComparison.Ordinal);
    }
}
