using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Hedging;

/// <summary>
/// Hedged reads end to end: a real HttpClient from IHttpClientFactory against Kestrel on loopback, counting what reached
/// the server.
/// </summary>
public sealed class HedgedReadsTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _arrivals = new();
    private readonly TaskCompletionSource _firstAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _server = null!;

    private string Url => _server.Urls.Single();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();

        // The first request to /slow-first hangs until its client gives up on it; the others answer at once.
        _server.Map("/slow-first", async context =>
        {
            if (Arrive(context) == 1)
            {
                context.RequestAborted.Register(() => _firstAborted.TrySetResult());
                await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await context.Response.WriteAsync($"answer {context.Request.Headers["X-Trace"]}");
        });

        // Every request to /slow answers after 300 ms: long enough for a hedge to be sent, were one allowed.
        _server.Map("/slow", async context =>
        {
            Arrive(context);
            await Task.Delay(300);
        });
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Get_WhoseFirstAttemptHangs_IsAnsweredByTheHedge_AndTheFirstAttemptIsCancelled()
    {
        using var client = Client(ResiliencePresetNames.ReadOnlyApi);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/slow-first");
        request.Headers.Add("X-Trace", "t-1");

        using var response = await client.Client.SendAsync(request);

        Assert.Equal("answer t-1", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, _arrivals["GET /slow-first"]);
        await _firstAborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task UnsafeMethod_IsSentExactlyOnce(string method)
    {
        using var client = Client(ResiliencePresetNames.IdempotentWrite);
        using var request = new HttpRequestMessage(new HttpMethod(method), "/slow") { Content = new StringContent("{}") };

        using var response = await client.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, _arrivals[$"{method} /slow"]);
    }

    [Fact]
    public async Task GetWithABody_IsSentExactlyOnce()
    {
        using var client = Client(ResiliencePresetNames.ReadOnlyApi);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/slow") { Content = new StringContent("{\"q\":1}") };

        using var response = await client.Client.SendAsync(request);

        Assert.Equal(1, _arrivals["GET /slow"]);
    }

    [Fact]
    public async Task GetWithAnIdempotencyKey_IsSentExactlyOnce()
    {
        using var client = Client(ResiliencePresetNames.IdempotentWrite);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/slow");
        request.Headers.Add("Idempotency-Key", "k-1");

        using var response = await client.Client.SendAsync(request);

        Assert.Equal(1, _arrivals["GET /slow"]);
    }

    [Fact]
    public async Task PostWithAnIdempotencyKey_IsSentExactlyOnce()
    {
        using var client = Client(ResiliencePresetNames.IdempotentWrite);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slow") { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "k-2");

        using var response = await client.Client.SendAsync(request);

        Assert.Equal(1, _arrivals["POST /slow"]);
    }

    [Fact]
    public async Task SlowGet_IsHedgedOnce_WithTheDefaultMaxHedgedAttempts()
    {
        using var client = Client(ResiliencePresetNames.ReadOnlyApi);

        using var response = await client.Client.GetAsync(new Uri("/slow", UriKind.Relative));

        Assert.Equal(2, _arrivals["GET /slow"]);
    }

    private int Arrive(HttpContext context) => _arrivals.AddOrUpdate($"{context.Request.Method} {context.Request.Path}", 1, (_, n) => n + 1);

    private PresetClient Client(string preset) => PresetClient.Create(preset, Url, o =>
    {
        PresetClient.FastBackoff(o);
        o.Hedging.Enabled = true;
        o.Hedging.Percentile = 0;
        o.Hedging.Delay = TimeSpan.FromMilliseconds(20);
    });
}
