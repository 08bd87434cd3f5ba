using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Comparison;

/// <summary>
/// Each test sends the same requests through <c>AddStandardResilienceHandler()</c> and through a preset, and pins the
/// difference that docs/comparison.md describes. The standard handler keeps its defaults except for shorter delays.
/// </summary>
public sealed class StandardHandlerComparisonTests : IClassFixture<FlakyServer>, IClassFixture<RecordingServer>
{
    private readonly FlakyServer _server;
    private readonly RecordingServer _recording;

    public StandardHandlerComparisonTests(FlakyServer server, RecordingServer recording) => (_server, _recording) = (server, recording);

    [Fact]
    public async Task Post503_StandardRetriesIt_IdempotentWriteSendsItOnce()
    {
        var standard = await CallsFor(Standard(), "/cmp/post503/standard", c => c.PostAsync("/cmp/post503/standard", new StringContent("{}")), Status(503));
        var preset = await CallsFor(Preset(ResiliencePresetNames.IdempotentWrite), "/cmp/post503/preset", c => c.PostAsync("/cmp/post503/preset", new StringContent("{}")), Status(503));

        Assert.Equal(1 + 3, standard);
        Assert.Equal(1, preset);
    }

    [Fact]
    public async Task RetriedPost_StandardSendsNoKey_PaymentPresetSendsOneKeyOnEveryAttempt()
    {
        var standardPath = _server.Respond("/cmp/charge/standard", Status(503), Status(200));
        var presetPath = _server.Respond("/cmp/charge/preset", Status(503), Status(200));
        using var standard = Standard();
        using var preset = Preset(ResiliencePresetNames.PaymentWithIdempotencyKey);

        using var a = await standard.Client.PostAsync(standardPath, new StringContent("{}"));
        using var b = await preset.Client.PostAsync(presetPath, new StringContent("{}"));

        Assert.All(_server.Requests(standardPath), r => Assert.False(r.RequestMessage.Headers!.ContainsKey("Idempotency-Key")));
        var keys = _server.Requests(presetPath).Select(r => r.RequestMessage.Headers!["Idempotency-Key"].Single()).ToList();
        Assert.Equal(2, keys.Count);
        Assert.Single(keys.Distinct());
    }

    [Theory]
    [InlineData(501)]
    [InlineData(505)]
    public async Task PermanentServerError_StandardRetriesIt_PresetDoesNot(int status)
    {
        var standard = await CallsFor(Standard(), $"/cmp/{status}/standard", c => c.GetAsync($"/cmp/{status}/standard"), Status(status));
        var preset = await CallsFor(Preset(ResiliencePresetNames.ReadOnlyApi), $"/cmp/{status}/preset", c => c.GetAsync($"/cmp/{status}/preset"), Status(status));

        Assert.Equal(1 + 3, standard);
        Assert.Equal(1, preset);
    }

    [Fact]
    public async Task Repeated500_StandardRetriesItThreeTimes_PresetOnce()
    {
        var standard = await CallsFor(Standard(), "/cmp/500/standard", c => c.GetAsync("/cmp/500/standard"), Status(500));
        var preset = await CallsFor(Preset(ResiliencePresetNames.ReadOnlyApi), "/cmp/500/preset", c => c.GetAsync("/cmp/500/preset"), Status(500));

        Assert.Equal(1 + 3, standard);
        Assert.Equal(1 + 1, preset);
    }

    [Fact]
    public async Task ServerSaysDoNotRetry_StandardRetriesAnyway_PresetObeys()
    {
        var verdict = Status(503, ("x-should-retry", "false"));
        var standard = await CallsFor(Standard(), "/cmp/verdict/standard", c => c.GetAsync("/cmp/verdict/standard"), verdict);
        var preset = await CallsFor(Preset(ResiliencePresetNames.ReadOnlyApi), "/cmp/verdict/preset", c => c.GetAsync("/cmp/verdict/preset"), verdict);

        Assert.Equal(1 + 3, standard);
        Assert.Equal(1, preset);
    }

    [Fact]
    public async Task GitHubRateLimited403_StandardReturnsTheFailure_PresetWaitsForTheResetAndSucceeds()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var limited = Status(403, ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", reset));
        var standardPath = _server.Respond("/cmp/github/standard", limited, Status(200));
        var presetPath = _server.Respond("/cmp/github/preset", limited, Status(200));
        using var standard = Standard();
        using var preset = Preset(ResiliencePresetNames.ReadOnlyApi);

        using var standardResponse = await standard.Client.GetAsync(standardPath);
        using var presetResponse = await preset.Client.GetAsync(presetPath);

        Assert.Equal(HttpStatusCode.Forbidden, standardResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, presetResponse.StatusCode);
    }

    [Fact]
    public async Task RetryAfterMs_StandardIgnoresIt_PresetWaitsExactlyThatLong()
    {
        // The standard handler's backoff is set to 1 ms here, so waiting 1.5 s can only come from the header.
        var wait = Status(429, ("retry-after-ms", "1500"));
        var standardPath = _server.Respond("/cmp/retry-after-ms/standard", wait, Status(200));
        var presetPath = _server.Respond("/cmp/retry-after-ms/preset", wait, Status(200));
        using var standard = Standard();
        using var preset = Preset(ResiliencePresetNames.ReadOnlyApi);

        using var a = await standard.Client.GetAsync(standardPath);
        using var b = await preset.Client.GetAsync(presetPath);

        Assert.True(_server.Gaps(standardPath).Single() < TimeSpan.FromMilliseconds(1500), $"standard waited {_server.Gaps(standardPath).Single()}");
        Assert.True(_server.Gaps(presetPath).Single() >= TimeSpan.FromMilliseconds(1500), $"preset waited {_server.Gaps(presetPath).Single()}");
    }

    [Fact]
    public async Task RetryAfterLongerThanUseful_StandardTimesOut_PresetReturnsThe429AtOnce()
    {
        var tooLong = Status(429, ("Retry-After", "120"));
        var standardPath = _server.Respond("/cmp/too-long/standard", tooLong);
        var presetPath = _server.Respond("/cmp/too-long/preset", tooLong);
        using var standard = Standard(o =>
        {
            o.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(500);
            o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(1);
        });
        using var preset = Preset(ResiliencePresetNames.ReadOnlyApi);

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => standard.Client.GetAsync(standardPath));
        var clock = Stopwatch.StartNew();
        using var response = await preset.Client.GetAsync(presetPath);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("120", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal(1, _server.Calls(presetPath));
    }

    [Fact]
    public async Task Polite429Storm_OpensTheStandardBreaker_NotThePresets()
    {
        var polite = Status(429, ("Retry-After", "1"));
        var standardPath = _server.Respond("/cmp/polite/standard", polite);
        var presetPath = _server.Respond("/cmp/polite/preset", polite);
        using var standard = Standard(o =>
        {
            o.Retry.MaxRetryAttempts = 1;
            o.Retry.ShouldRetryAfterHeader = false;
            o.CircuitBreaker.MinimumThroughput = 4;
        });
        using var preset = Preset(ResiliencePresetNames.ReadOnlyApi, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 4;
        });

        await AssertStormOpensOnlyTheStandardBreaker(standard, standardPath, preset, presetPath);
    }

    [Theory]
    [InlineData("no Retry-After")]
    [InlineData("Retry-After: 0")]
    public async Task Bare429Storm_OpensTheStandardBreaker_NotThePresets(string kind)
    {
        // A 429 that names no usable wait (nginx's, or ASP.NET Core's sample that truncates the wait to 0).
        var bare = kind == "Retry-After: 0" ? Status(429, ("Retry-After", "0")) : Status(429);
        var standardPath = _server.Respond($"/cmp/bare/standard/{kind.Replace(' ', '-').Replace(":", "")}", bare);
        var presetPath = _server.Respond($"/cmp/bare/preset/{kind.Replace(' ', '-').Replace(":", "")}", bare);
        using var standard = Standard(o =>
        {
            o.Retry.MaxRetryAttempts = 1;
            o.CircuitBreaker.MinimumThroughput = 4;
        });

        // Learning off, so that the six requests go out at once: this row is about the breaker, not the pacing.
        using var preset = Preset(ResiliencePresetNames.ReadOnlyApi, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.RateLimit.Adaptive = false;
            o.CircuitBreaker.MinimumThroughput = 4;
        });

        await AssertStormOpensOnlyTheStandardBreaker(standard, standardPath, preset, presetPath);
    }

    [Fact]
    public async Task SlowPost_StandardHedgingSendsItTwice_PresetHedgesOnlyBodilessSafeMethods()
    {
        // The first copy stalls; any second copy is answered at once.
        var standardPath = _recording.Script("/cmp/hedge/standard", ServerAnswer.Stall, ServerAnswer.Ok);
        var presetPath = _recording.Script("/cmp/hedge/preset", ServerAnswer.Stall, ServerAnswer.Ok);
        using var standard = PresetClient.CreateStandardHedging(_recording.Url, o => o.Hedging.Delay = TimeSpan.FromMilliseconds(20));
        using var preset = Preset(ResiliencePresetNames.ReadOnlyApi, o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.AttemptTimeout = TimeSpan.FromMilliseconds(500);
            o.Hedging.Enabled = true;
            o.Hedging.Percentile = 0;
            o.Hedging.Delay = TimeSpan.FromMilliseconds(20);
        }, _recording.Url);
        await RecordingServer.WarmAsync(standard.Client);
        await RecordingServer.WarmAsync(preset.Client);

        using var answered = await standard.Client.PostAsync(standardPath, new StringContent("{\"charge\":1}"));
        await Assert.ThrowsAsync<TimeoutRejectedException>(() => preset.Client.PostAsync(presetPath, new StringContent("{\"charge\":1}")));

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(2, _recording.Requests(standardPath).Count(r => r.Method == "POST"));
        Assert.InRange(_recording.Requests(presetPath).Count, 0, 1);
    }

    [Fact]
    public void HttpClientTimeout_StandardAndPresetTurnItOff()
    {
        // Neither client pays HttpClient's timer per request; the standard handler bounds no stalled body, a preset
        // bounds it by TotalTimeout + 1 s itself (HttpClientTimeoutTests).
        using var standard = Standard();
        using var preset = Preset(ResiliencePresetNames.ReadOnlyApi, o => o.TotalTimeout = TimeSpan.FromSeconds(30));

        Assert.Equal(Timeout.InfiniteTimeSpan, standard.Client.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, preset.Client.Timeout);
    }

    // Six 429s: the standard handler's breaker opens within them; the preset sends all six and returns each 429.
    private async Task AssertStormOpensOnlyTheStandardBreaker(PresetClient standard, string standardPath, PresetClient preset, string presetPath)
    {
        var standardBroke = false;
        for (var i = 0; i < 6 && !standardBroke; i++)
        {
            try
            {
                using var response = await standard.Client.GetAsync(standardPath);
            }
            catch (BrokenCircuitException)
            {
                standardBroke = true;
            }
        }

        for (var i = 0; i < 6; i++)
        {
            using var response = await preset.Client.GetAsync(presetPath);
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        }

        Assert.True(standardBroke, "the standard handler's breaker stayed closed");
        Assert.Equal(6, _server.Calls(presetPath));
    }

    private async Task<int> CallsFor(PresetClient client, string path, Func<HttpClient, Task<HttpResponseMessage>> send, params WireMock.ResponseBuilders.IResponseBuilder[] responses)
    {
        using (client)
        {
            _server.Respond(path, responses);
            using var response = await send(client.Client);
            return _server.Calls(path);
        }
    }

    private PresetClient Standard(Action<HttpStandardResilienceOptions>? configure = null)
        => PresetClient.CreateStandard(_server.Url, o =>
        {
            o.Retry.Delay = TimeSpan.FromMilliseconds(1);
            configure?.Invoke(o);
        });

    private PresetClient Preset(string preset, Action<ResiliencePresetOptions>? configure = null, string? url = null)
        => PresetClient.Create(preset, url ?? _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            configure?.Invoke(o);
        });
}
