using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;
using ResiliencePresets.Simulation.Limiters;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Classification;

/// <summary>
/// A 503 nginx wrote itself (its <c>limit_req</c> refusal by default) is a rate signal, read as a 429; a 503 it only
/// proxies, and any other bare 503, is an outage. Against a real nginx on loopback (installed with apt-get when missing).
/// </summary>
public sealed class NginxRefusalTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public NginxRefusalTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData(503, "Service Temporarily Unavailable", true)]
    [InlineData(503, "service temporarily unavailable", true)]
    [InlineData(503, "Service Unavailable", false)]
    [InlineData(503, null, false)]
    [InlineData(503, "", false)]
    [InlineData(503, "Service Temporarily Unavailable ", false)]
    [InlineData(500, "Service Temporarily Unavailable", false)]
    [InlineData(200, "Service Temporarily Unavailable", false)]
    public void Is_OnlyNginxsOwn503StatusLine(int status, string? reason, bool expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { ReasonPhrase = reason };

        Assert.Equal(expected, NginxRefusal.Is(response));
        Assert.Equal(expected ? 429 : status, StatusCodeClassifier.EffectiveStatusCode(response));
    }

    [Fact]
    public void NginxRefusal_IsARateSignal_NotABreakerFailure_WithOrWithoutAWait()
    {
        var inspector = new AttemptInspector(StatusCodeClassifier.Default, new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
        using var bare = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { ReasonPhrase = NginxRefusal.ReasonPhrase };
        using var waiting = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { ReasonPhrase = NginxRefusal.ReasonPhrase };
        waiting.Headers.TryAddWithoutValidation("Retry-After", "1");
        using var other = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        foreach (var response in (HttpResponseMessage[])[bare, waiting])
        {
            var verdict = inspector.Inspect(Outcome.FromResult(response));
            Assert.Equal((503, 429), (verdict.StatusCode, verdict.EffectiveStatusCode));
            Assert.True(RateSignal.IsRateSignal(verdict));
            Assert.False(BreakerFailure.IsFailure(verdict));
            Assert.True(verdict.Rule.IsRetry);
        }

        var outage = inspector.Inspect(Outcome.FromResult(other));
        Assert.False(RateSignal.IsRateSignal(outage));
        Assert.True(BreakerFailure.IsFailure(outage));
    }

    [Fact]
    public async Task NginxLimitReqWithItsDefaultStatus_PacesTheClient_NoRequestFails_TheBreakerStaysClosed()
    {
        var variant = NginxVariant.All(20).Single(v => v.Status is null);
        await using var backend = await UnlimitedBackend.StartAsync();
        await using var nginx = await NginxProxy.StartAsync([(variant, 20)], backend.Port);
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, nginx.BaseAddressOf(0).ToString(), clientName: "nginx-default-503");

        // 20 at once against 20 a second without burst: nginx admits the first and refuses the rest with its own 503.
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(n => api.Client.GetAsync($"items/{n}")));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Array.ForEach(responses, r => r.Dispose());

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Contains(api.Logs.Entries, e => e.EventId.Name == "ThrottlingStarted" && e.Message.Contains("503", StringComparison.Ordinal));
        Assert.Empty(metrics.For("resiliencepresets.circuit_breaker.transitions", "nginx-default-503"));
    }

    [Fact]
    public async Task A503ThatNginxOnlyProxies_IsStillAnOutage_AndOpensTheBreaker()
    {
        var path = _server.Respond("/nginx/upstream-503", Status(503));
        var unlimited = new NginxVariant("nginx limit_req far above the load", 1000, 429, null);
        await using var nginx = await NginxProxy.StartAsync([(unlimited, 10_000)], _server.Server.Port);
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, nginx.BaseAddressOf(0).ToString(), o => o.Retry.MaxRetryAttempts = 0);

        var opened = await BreakerProbe.SendUntilOpenAsync(api.Client, path.TrimStart('/'), answered: r => Assert.Equal("Service Unavailable", r.ReasonPhrase));

        // The default breaker: 20 attempts, half of them failures.
        Assert.NotNull(opened);
        Assert.Equal(20, _server.Calls(path));
        Assert.DoesNotContain(api.Logs.Entries, e => e.EventId.Name == "ThrottlingStarted");
    }
}
