using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Simulation.Server;

/// <summary>
/// A per-user read API on Kestrel, on loopback: <c>GET /accounts/{id}</c> answers 200 with a body naming the caller its
/// <c>Authorization</c> header identifies and the item, so that a response that reached the wrong caller shows; while
/// <see cref="Down"/>, every request is answered 503 without <c>Retry-After</c>.
/// </summary>
public sealed class AccountsApi : IAsyncDisposable
{
    public const string Path = "/accounts";

    private readonly WebApplication _app;
    private int _requests;

    private AccountsApi(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.Single());

    /// <summary>Gets or sets a value indicating whether the API is in its outage.</summary>
    public bool Down { get; set; }

    /// <summary>Gets every request that reached the API.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<AccountsApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new AccountsApi(app);
        app.MapGet(Path + "/{id}", (HttpContext context, string id) => api.Handle(context, id));
        await app.StartAsync();
        return api;
    }

    /// <summary>The body the API answers <paramref name="user"/> with for item <paramref name="id"/>.</summary>
    public static string Body(string user, string id) => $"owner={user};item={id}";

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private IResult Handle(HttpContext context, string id)
    {
        Interlocked.Increment(ref _requests);
        if (Down)
        {
            return Results.StatusCode(503);
        }

        var user = context.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
        return Results.Text(Body(user, id), "text/plain");
    }
}
