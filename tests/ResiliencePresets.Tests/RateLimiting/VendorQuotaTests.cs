using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Polly;
using ResiliencePresets.Demo.Server;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.RateLimiting;

/// <summary>
/// The vendor quota headers people meet most (OpenAI's, Anthropic's, Discord's, Reddit's, GitLab's, X's and Okta's),
/// read end to end through a real HttpClient: a spent quota pauses the client until its reset, like the quota headers
/// of the IETF drafts and GitHub.
/// </summary>
public sealed class VendorQuotaTests : IClassFixture<FlakyServer>
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    private readonly FlakyServer _server;

    public VendorQuotaTests(FlakyServer server) => _server = server;

    public static TheoryData<string, string, string, int> SpentQuotas => new()
    {
        { "openai-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests", 1_000 },
        { "openai-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", 1_500 },
        { "anthropic-requests", "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset", 2_000 },
        { "anthropic-output-tokens", "anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset", 2_000 },
    };

    [Theory]
    [MemberData(nameof(SpentQuotas))]
    public async Task SpentVendorQuota_HoldsTheClientsNextRequestUntilItsReset(string api, string remainingName, string resetName, int resetMs)
    {
        var time = new TimerRecordingTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var reset = TimeSpan.FromMilliseconds(resetMs);
        var resetValue = resetName.StartsWith("anthropic", StringComparison.Ordinal)
            ? (time.GetUtcNow() + reset).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : resetMs % 1000 == 0 ? $"{resetMs / 1000}s" : $"{resetMs / 1000.0:0.0##}s".Replace(",", ".", StringComparison.Ordinal);

        // The response that spent the quota is a success: the request after it is the one to hold.
        var spent = _server.Respond($"/vendor/{api}/spent", Status(200, (remainingName, "0"), (resetName, resetValue)));
        var next = _server.Respond($"/vendor/{api}/next", Status(200));

        await AssertTheSpentQuotaHoldsTheNextRequest(time, spent, next, reset);
    }

    // Each row: the spent quota's headers as the vendor sends them on a success, its reset in ms from the clock's now.
    public static TheoryData<string, string, string, string, string, int> SpentQuotasWithFractionsAndEpochs => new()
    {
        { "discord", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset-After", "1.25", 1_250 },
        { "discord-epoch", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "epoch+1.5", 1_500 },
        { "reddit", "x-ratelimit-remaining", "0.0", "x-ratelimit-reset", "2", 2_000 },
        { "gitlab", "RateLimit-Remaining", "0", "RateLimit-Reset", "epoch+2", 2_000 },
        { "x", "x-rate-limit-remaining", "0", "x-rate-limit-reset", "epoch+1", 1_000 },
        { "okta", "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", "epoch+3", 3_000 },
    };

    [Theory]
    [MemberData(nameof(SpentQuotasWithFractionsAndEpochs))]
    public async Task SpentQuotaWithAFractionOrAnEpoch_HoldsTheClientsNextRequestUntilItsReset(string api, string remainingName, string remaining, string resetName, string resetValue, int resetMs)
    {
        var time = new TimerRecordingTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var reset = TimeSpan.FromMilliseconds(resetMs);
        var sent = resetValue.StartsWith("epoch+", StringComparison.Ordinal)
            ? (time.GetUtcNow().ToUnixTimeSeconds() + decimal.Parse(resetValue["epoch+".Length..], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture)
            : resetValue;
        var spent = _server.Respond($"/vendor/{api}/spent-exact", Status(200, (remainingName, remaining), (resetName, sent)));
        var next = _server.Respond($"/vendor/{api}/next-exact", Status(200));

        await AssertTheSpentQuotaHoldsTheNextRequest(time, spent, next, reset);
    }

    [Fact]
    public async Task GitLabRateLimitedWithoutRetryAfter_IsRetriedAfterItsEpochReset()
    {
        // GitLab's 429 names its reset as a Unix time; read as delta-seconds it would be decades, and go back unretried.
        var path = _server.Respond("/vendor/gitlab/429", Status(429, ("RateLimit-Remaining", "0"), ("RateLimit-Reset", DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))), Status(200));
        using var client = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.TotalTimeout = o.AttemptTimeout = TimeSpan.FromSeconds(10));

        using var response = await client.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
    }

    [Fact]
    public async Task DemoChatCompletionsRejection_IsReadAsItsExplicitWaitAndASpentRequestQuota()
    {
        // The demo's embedded chat endpoint, over its quota of one completion an hour, answers as OpenAI does.
        using var demo = new FlakyApi(new ServerTiming { ChatWindow = TimeSpan.FromHours(1), ChatLimit = 1 }, seed: 1);
        using var http = new HttpClient { BaseAddress = demo.BaseAddress };
        using var admitted = await Chat(http, requestId: 1);
        using var rejected = await Chat(http, requestId: 2);
        var inspector = new AttemptInspector(StatusCodeClassifier.Default, new FakeTimeProvider(DateTimeOffset.UtcNow));

        var verdict = inspector.Inspect(Outcome.FromResult(rejected));

        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.Equal(429, verdict.StatusCode);
        Assert.Equal((0L, "x-ratelimit-reset-requests"), (verdict.QuotaRemaining, verdict.QuotaHeader));
        Assert.InRange(verdict.QuotaResetIn, TimeSpan.FromTicks(1), TimeSpan.FromHours(1));
        Assert.Equal("retry-after-ms", verdict.ServerWait?.HeaderName);
        Assert.True(verdict.WaitIsExplicit);

        // The reset and the explicit wait name the same moment, to the millisecond.
        Assert.Equal(verdict.QuotaResetIn, verdict.ServerWait?.Delay);
    }

    private static Task<HttpResponseMessage> Chat(HttpClient http, int requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, FlakyApi.ChatPath) { Content = new StringContent("""{"model":"demo"}""") };
        request.Headers.Add("Authorization", "Bearer vendor-quota-test");
        request.Headers.Add(DemoHeaders.RequestId, requestId.ToString(CultureInfo.InvariantCulture));
        return http.SendAsync(request);
    }

    // The response that spent the quota is a success; the request after it waits for the one timer shorter than the
    // attempt timeout (the reset, a jitter of up to 10 %, 16 ms of padding) and is sent once that has passed.
    private async Task AssertTheSpentQuotaHoldsTheNextRequest(TimerRecordingTimeProvider time, string spent, string next, TimeSpan reset)
    {
        using var client = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, services: s => s.AddSingleton<TimeProvider>(time));
        using (var first = await client.Client.GetAsync(spent))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var holdTimer = time.NextTimer(due => due > TimeSpan.Zero && due < TimeSpan.FromSeconds(5));
        var held = client.Client.GetAsync(next);
        var hold = await holdTimer.WaitAsync(TestTimeout);

        Assert.InRange(hold, reset, reset + (reset / 10) + ServerWaitSpread.Padding);
        Assert.False(held.IsCompleted);
        time.Advance(hold);
        using var second = await held.WaitAsync(TestTimeout);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, _server.Calls(next));
    }
}
