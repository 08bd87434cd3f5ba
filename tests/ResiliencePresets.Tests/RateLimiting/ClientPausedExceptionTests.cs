using System.Net;
using System.Text.RegularExpressions;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.RateLimiting;

public sealed partial class ClientPausedExceptionTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public ClientPausedExceptionTests(FlakyServer server) => _server = server;

    // Regression: the request waited its whole TotalTimeout for a pause it could never outlast, then failed with
    // TimeoutRejectedException without ever being sent.
    [Fact]
    public async Task PauseLongerThanTheTimeLeft_FailsAtOnceSayingWhoPausedTheClientUntilWhenAndWhy()
    {
        var paused = _server.Respond("/paused/long", Status(429, ("Retry-After", "20")));
        var other = _server.Respond("/paused/other", Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url, o =>
        {
            PresetClient.FastBackoff(o);
            o.AttemptTimeout = TimeSpan.FromSeconds(4);
            o.TotalTimeout = TimeSpan.FromSeconds(5);
        });

        using var first = await api.Client.GetAsync($"{paused}?token=secret");
        var before = DateTimeOffset.UtcNow;
        var error = await Assert.ThrowsAsync<ClientPausedException>(() => api.Client.GetAsync(other));

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(0, _server.Calls(other));
        Assert.Equal(("api", 429, "Retry-After"), (error.ClientName, error.StatusCode, error.HeaderName));
        Assert.InRange(error.PausedUntil!.Value, before + TimeSpan.FromSeconds(18), before + TimeSpan.FromSeconds(21));
        Assert.InRange(error.RetryAfter!.Value, TimeSpan.FromSeconds(18), TimeSpan.FromSeconds(20));
        Assert.Matches(Shape(), error.Message);
        Assert.Contains($"The pause was set by the Retry-After header of a 429 response to GET {_server.Url}{paused}.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<Polly.ExecutionRejectedException>(error);
    }

    [Fact]
    public async Task PauseShorterThanTheTimeLeft_IsWaitedOutAndTheRequestSent()
    {
        var paused = _server.Respond("/paused/short", Status(429, ("retry-after-ms", "50")), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(paused);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(paused));
    }

    [GeneratedRegex(@"^The HttpClient 'api' is paused by its server until \d{4}-\d\d-\d\dT[\d:.]+\+00:00, 00:00:\d\d\.\d+ from now, longer than the 00:00:0\d\.\d+ left of its TotalTimeout; the request was not sent\. ")]
    private static partial Regex Shape();
}
