using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Simulation.Limiters;

/// <summary>
/// The API behind nginx: Kestrel on loopback, <c>GET /items/{id}</c> always 200. It limits nothing, so every refusal
/// a client meets comes from the limiter in front of it.
/// </summary>
public sealed class UnlimitedBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private UnlimitedBackend(WebApplication app) => _app = app;

    public int Port => new Uri(_app.Urls.Single()).Port;

    public static async Task<UnlimitedBackend> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapGet("/items/{id}", (string id) => Results.Text(id));
        await app.StartAsync();
        return new UnlimitedBackend(app);
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
