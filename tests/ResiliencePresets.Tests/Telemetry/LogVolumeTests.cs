using Microsoft.Extensions.Logging;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Telemetry;

/// <summary>
/// Which layer speaks: this library writes one readable line per retry at Information; Polly's own events about the
/// same pipeline go to Debug, so a retry is not logged twice.
/// </summary>
public sealed class LogVolumeTests : IClassFixture<FlakyServer>
{
    private readonly FlakyServer _server;

    public LogVolumeTests(FlakyServer server) => _server = server;

    // Regression: each retry was logged by Polly's telemetry (through the registry) and again by this library.
    [Fact]
    public async Task RetriedRequest_LogsOneReadableLinePerRetryAtInformationAndAbove()
    {
        var path = _server.Respond("/logs/retried", Status(503), Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        var resilienceLines = api.Logs.Entries
            .Where(e => e.Level >= LogLevel.Information && !e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal))
            .Select(e => $"{e.Category}/{e.EventId.Name}")
            .ToList();
        Assert.Equal(["ResiliencePresets/RetryScheduled", "ResiliencePresets/RetryScheduled"], resilienceLines);
    }

    [Fact]
    public async Task RetriedRequest_PollysEventsStayAvailableAtDebug()
    {
        var path = _server.Respond("/logs/debug", Status(503), Status(200));
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _server.Url);

        using var response = await api.Client.GetAsync(path);

        Assert.Contains(api.Logs.Entries, e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Level == LogLevel.Debug);
        Assert.DoesNotContain(api.Logs.Entries, e => e.Category.StartsWith("Polly", StringComparison.Ordinal) && e.Level > LogLevel.Debug);
    }
}
