using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using Xunit.Abstractions;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Many concurrent requests through one client with every load protection on: breaker, token bucket and retry budget.
/// Runs alone (the soak collection), so that the memory figures are this test's own.
/// </summary>
[Collection(ReliabilitySoak.Name)]
public sealed class ConcurrencyTests(ITestOutputHelper output)
{
    private const int Concurrent = 1_000;
    private const int Rounds = 10;
    private static readonly TimeSpan RoundLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OneClient_TenRoundsOfAThousandConcurrentRequestsAgainstAFlakyServer_EveryRequestEndsAsDocumentedAndMemoryDoesNotGrow()
    {
        var served = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();

        // About one request in five fails: 503, 500, or a connection dropped after 20 ms (an instant drop would finish
        // before every success and open the breaker on the first 20 results alone).
        app.MapGet("/items/{id}", async (HttpContext context) =>
        {
            switch (Interlocked.Increment(ref served) % 15)
            {
                case 0 or 1:
                    return Results.StatusCode(503);
                case 2:
                    return Results.StatusCode(500);
                case 3:
                    await Task.Delay(20);
                    context.Abort();
                    return Results.Empty;
                default:
                    return Results.Text("ok");
            }
        });
        await app.StartAsync();

        // No log capture here: a logger that keeps every entry would be the memory that grows.
        var services = new ServiceCollection();
        services.AddHttpClient("api", c => c.BaseAddress = new Uri(app.Urls.Single()))
            .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, options =>
            {
                PresetClient.FastBackoff(options);
                options.AttemptTimeout = TimeSpan.FromSeconds(5);
                options.RateLimit.PermitsPerSecond = 2_000;
                options.RateLimit.QueueLimit = 2_000;
                options.RetryBudget.Enabled = true;
                options.CircuitBreaker.Enabled = true;
            });
        await using var provider = services.BuildServiceProvider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        var memory = new List<long>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < Rounds; round++)
        {
            var requests = Enumerable.Range(0, Concurrent).Select(i => SendAsync(client, $"/items/{round}-{i}")).ToArray();
            var all = Task.WhenAll(requests);
            var finished = await Task.WhenAny(all, Task.Delay(RoundLimit));
            Assert.True(finished == all, $"round {round}: {requests.Count(t => !t.IsCompleted)} of {Concurrent} requests still running after {RoundLimit}");

            foreach (var outcome in await all)
            {
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }

            memory.Add(GC.GetTotalMemory(forceFullCollection: true));
        }

        output.WriteLine($"{Rounds} rounds of {Concurrent} in {clock.Elapsed.TotalSeconds:F1} s; server saw {served} requests");
        output.WriteLine($"outcomes: {string.Join(", ", outcomes.OrderByDescending(p => p.Value).Select(p => $"{p.Key} {p.Value}"))}");
        output.WriteLine($"managed memory after each round (MB): {string.Join(" ", memory.Select(m => (m / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}");

        var undocumented = outcomes.Keys.Where(k => k.StartsWith("undocumented", StringComparison.Ordinal)).ToList();
        Assert.True(undocumented.Count == 0, string.Join("\n", undocumented));
        Assert.True(outcomes.GetValueOrDefault("200") > Rounds * Concurrent / 2, "most requests should succeed");

        // Rounds 2 to 4 against the last three; the first round warms up pools and caches. Generous: 50 % and 8 MB.
        var early = memory.Skip(1).Take(3).Average();
        var late = memory.TakeLast(3).Average();
        Assert.True(late <= early * 1.5 + 8 * 1048576, $"managed memory grew from {early / 1048576:F1} MB to {late / 1048576:F1} MB");
    }

    // The outcome of one request: its final status, a documented exception's type, or "undocumented" with the exception.
    private static async Task<string> SendAsync(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException)
        {
            return e.GetType().Name;
        }
        catch (Exception e)
        {
            return $"undocumented: {e}";
        }
    }
}
