using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// The payment API on Kestrel, on loopback, with the fault injector in front: <c>POST /charges</c> takes a
/// <see cref="Payment"/> and an optional <c>Idempotency-Key</c>.
/// </summary>
public sealed class PaymentServer : IAsyncDisposable
{
    public const string ChargesPath = "/charges";
    public const string KeyHeader = "Idempotency-Key";

    private readonly WebApplication _app;
    private readonly TimeSpan _stall;
    private int _requests;

    private PaymentServer(WebApplication app, FaultInjector faults, TimeSpan stall)
    {
        _app = app;
        Faults = faults;
        _stall = stall;
    }

    public PaymentApi Api { get; } = new();

    public FaultInjector Faults { get; }

    public string Url => _app.Urls.Single();

    /// <summary>Gets the charge requests that reached the endpoint, faulted or not.</summary>
    public int RequestsReceived => Volatile.Read(ref _requests);

    /// <param name="faults">Decides each request's fault.</param>
    /// <param name="stall">How long a <see cref="Fault.ProcessThenStall"/> keeps the key in flight; longer than the client's attempt timeout.</param>
    public static async Task<PaymentServer> StartAsync(FaultInjector faults, TimeSpan stall)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new PaymentServer(app, faults, stall);
        app.MapPost(ChargesPath, server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    /// <summary>Stops accepting connections and waits for the requests in progress to finish.</summary>
    public Task StopAsync() => _app.StopAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var (fault, retryAfterSeconds) = Faults.Next();
        switch (fault)
        {
            case Fault.RefuseBeforeProcessing:
                context.Abort();
                return;
            case Fault.Unavailable:
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return;
        }

        string body;
        using (var reader = new StreamReader(context.Request.Body))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        var key = context.Request.Headers.TryGetValue(KeyHeader, out var keys) ? keys.ToString() : null;
        var reply = await Api.ChargeAsync(key, body, fault == Fault.ProcessThenStall ? _stall : TimeSpan.Zero);
        switch (fault)
        {
            case Fault.ProcessThen500:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            case Fault.ProcessThenDrop:
                context.Abort();
                return;
        }

        context.Response.StatusCode = reply.StatusCode;
        context.Response.ContentType = "application/json";
        if (reply.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        await context.Response.WriteAsync(reply.Body, CancellationToken.None);
    }
}
