using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Simulation.Server;

/// <summary>
/// A read API on Kestrel, on loopback, whose latency has a tail: each request that arrives (a hedge as much as a first
/// attempt) answers <c>GET /items/{n}</c> with 200 after <see cref="Fast"/>, or, with probability <see cref="SlowShare"/>,
/// after <see cref="Slow"/>. The draws come from a seeded generator, so every setup meets the same sequence.
/// </summary>
public sealed class TailLatencyApi : IAsyncDisposable
{
    public const double SlowShare = 0.02;
    public static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    private readonly WebApplication _app;
    private readonly Random _random = new(1313);
    private int _arrivals;

    private TailLatencyApi(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.Single());

    /// <summary>Gets the requests that arrived since the count was last reset.</summary>
    public int Arrivals => Volatile.Read(ref _arrivals);

    public static async Task<TailLatencyApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new TailLatencyApi(app);
        app.MapGet("/items/{n}", api.AnswerAsync);
        await app.StartAsync();
        return api;
    }

    public void ResetArrivals() => Volatile.Write(ref _arrivals, 0);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task AnswerAsync(HttpContext context)
    {
        Interlocked.Increment(ref _arrivals);
        bool slow;
        lock (_random)
        {
            slow = _random.NextDouble() < SlowShare;
        }

        try
        {
            await Task.Delay(slow ? Slow : Fast, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
        catch (OperationCanceledException)
        {
            // The client gave up on this copy (a hedge answered first).
        }
    }
}
