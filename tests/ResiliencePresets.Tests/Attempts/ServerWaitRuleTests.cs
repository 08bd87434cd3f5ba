using System.Net;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Attempts;

/// <summary>
/// What a server-named wait means: which attempts pause the client and which are metered retries for the budget. A
/// zero wait (<c>Retry-After: 0</c>, <c>retry-after-ms: 0</c>) names no wait at all.
/// </summary>
public sealed class ServerWaitRuleTests : IClassFixture<FlakyServer>
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FlakyServer _server;

    public ServerWaitRuleTests(FlakyServer server) => _server = server;

    [Theory]
    [InlineData(429, "Retry-After", "5", true, true)]
    [InlineData(429, "Retry-After", "0", false, false)]
    [InlineData(503, "Retry-After", "1", true, true)]
    [InlineData(503, "retry-after-ms", "250", true, true)]
    [InlineData(503, "retry-after-ms", "0", false, false)]
    [InlineData(403, "Retry-After", "5", true, true)]
    [InlineData(429, "Retry-After", "3600", true, false)]
    [InlineData(429, "Retry-After", "30", true, true)]
    [InlineData(429, "Retry-After", "31", true, false)]
    [InlineData(500, "Retry-After", "1", false, false)]
    [InlineData(429, null, null, false, false)]
    [InlineData(503, null, null, false, false)]
    public void Rules_ReadTheEffectiveStatusAndTheWait(int status, string? header, string? value, bool pausesClient, bool metered)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (header is not null)
        {
            response.Headers.TryAddWithoutValidation(header, value);
        }

        var verdict = new AttemptInspector(StatusCodeClassifier.Default, _time).Inspect(Outcome.FromResult(response));

        Assert.Equal(pausesClient, ServerWaitRule.PausesClient(verdict));
        Assert.Equal(metered, ServerWaitRule.IsMetered(verdict, MaxRetryAfter));
    }

    // Retry-After: 0 says "now": the client's next request goes at once and the meters count no pause.
    [Fact]
    public async Task ZeroRetryAfter_PausesNothing_AndIsCountedAsNoPause()
    {
        const string Client = "zero-wait";
        var path = _server.Respond("/wait/zero", Status(429, ("Retry-After", "0")), Status(200), Status(200));
        using var metrics = new MetricRecorder("ResiliencePresets");
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o => o.RateLimit.Adaptive = false, clientName: Client);

        using var first = await api.Client.GetAsync(path);
        using var second = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(3, _server.Calls(path));
        Assert.Empty(metrics.For("resiliencepresets.client.pauses", Client));
        Assert.False(api.Services.GetRequiredService<ClientRuntimeRegistry>().For(Client).Scopes.IsEngaged);
    }
}
