using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Simulation.Server;

/// <summary>
/// Three services on one Kestrel host, on loopback: <c>GET /a</c> calls <c>GET /b</c>, which calls <c>GET /c</c>, each
/// through its own named client. A tier answers 200 when its call succeeded and 503 (without Retry-After) when it did
/// not, as a service passes on an unavailable dependency. C fails while <see cref="CurrentPhase"/> is
/// <see cref="Phase.Failing"/>. With pushback, the host runs <c>UseResiliencePresetsPushback()</c>, so a tier's 503
/// after its call gave up tells the tier above not to retry.
/// </summary>
public sealed class TierChain : IAsyncDisposable
{
    public const string PathA = "/a";
    public const string PathB = "/b";
    public const string PathC = "/c";

    private static readonly int PhaseCount = Enum.GetValues<Phase>().Length;

    private readonly WebApplication _app;
    private readonly int[] _arrivals = new int[3 * PhaseCount];
    private Func<HttpClient>? _toB;
    private Func<HttpClient>? _toC;
    private int _phase;

    private TierChain(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.Single());

    public Phase CurrentPhase
    {
        get => (Phase)Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, (int)value);
    }

    public static async Task<TierChain> StartAsync(bool pushback = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var chain = new TierChain(app);
        if (pushback)
        {
            app.UseResiliencePresetsPushback();
        }

        app.MapGet(PathA, context => chain.ForwardAsync(context, 0, chain._toB, PathB));
        app.MapGet(PathB, context => chain.ForwardAsync(context, 1, chain._toC, PathC));
        app.MapGet(PathC, chain.AnswerC);
        await app.StartAsync();
        return chain;
    }

    /// <summary>Sets the clients A uses to call B and B uses to call C.</summary>
    public void Connect(Func<HttpClient> toB, Func<HttpClient> toC) => (_toB, _toC) = (toB, toC);

    /// <summary>Returns the requests that reached a tier (0 = A, 1 = B, 2 = C) in a phase.</summary>
    public int Arrivals(int tier, Phase phase) => Volatile.Read(ref _arrivals[(tier * PhaseCount) + (int)phase]);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void Count(int tier) => Interlocked.Increment(ref _arrivals[(tier * PhaseCount) + _phase]);

    private async Task ForwardAsync(HttpContext context, int tier, Func<HttpClient>? next, string path)
    {
        Count(tier);
        int status;
        try
        {
            using var response = await next!().GetAsync(new Uri(path, UriKind.Relative), context.RequestAborted);
            status = response.IsSuccessStatusCode ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        }
#pragma warning disable CA1031 // A failed call, whatever its exception, is this tier's 503.
        catch (Exception)
#pragma warning restore CA1031
        {
            status = StatusCodes.Status503ServiceUnavailable;
        }

        context.Response.StatusCode = status;
    }

    private Task AnswerC(HttpContext context)
    {
        Count(2);
        context.Response.StatusCode = CurrentPhase == Phase.Failing ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return Task.CompletedTask;
    }
}
