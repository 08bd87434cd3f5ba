using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResiliencePresets.Simulation.Limiters;

namespace ResiliencePresets.Simulation.Server;

/// <summary>
/// A payments API on Kestrel, on loopback, behind ASP.NET Core's rate limiting middleware (one global fixed window):
/// <c>POST /payments</c> with a JSON body naming its payment (<c>{"payment":"p-17",…}</c>) charges it and answers 201.
/// It keeps each <c>Idempotency-Key</c> it has charged under, as payment APIs do: a request repeating a key with the
/// same body is answered 201 again without a charge, one with another body 422. A share of the charges lose their
/// answer (the connection is aborted after the charge, as a proxy that timed out would), so a client that repeats a
/// payment without its key charges it twice. Only the charges are counted here, by payment: whether a client charged
/// twice is this API's verdict, not the client's.
/// </summary>
public sealed class PaymentsApi : IAsyncDisposable
{
    public const string Path = "/payments";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _charges = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly Random _random;
    private readonly double _lostAnswers;
    private int _calls;
    private int _refused;
    private int _conflicts;
    private int _lost;

    private PaymentsApi(WebApplication app, double lostAnswers, int seed)
    {
        _app = app;
        _lostAnswers = lostAnswers;
        _random = new Random(seed);
    }

    public Uri BaseAddress => new(_app.Urls.Single().TrimEnd('/') + "/");

    /// <summary>Gets every request that reached the API, refused ones included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets the requests the limiter refused with 429.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Gets the requests that repeated a key with another body (answered 422).</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Gets the charges whose answer was lost (connection aborted after the charge).</summary>
    public int LostAnswers => Volatile.Read(ref _lost);

    /// <summary>Gets how many times each payment was charged.</summary>
    public IReadOnlyDictionary<string, int> Charges => _charges;

    /// <param name="rate">The limiter's permits per one-second window.</param>
    /// <param name="retryAfter">How the limiter's refusals write <c>Retry-After</c>.</param>
    /// <param name="lostAnswers">The share of charges whose answer is lost.</param>
    /// <param name="seed">Seeds which charges lose their answer.</param>
    public static async Task<PaymentsApi> StartAsync(int rate, RetryAfterWriting retryAfter, double lostAnswers, int seed = 7)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        PaymentsApi? api = null;
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetFixedWindowLimiter("all", _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = rate,
                Window = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            }));
            options.OnRejected = (context, _) =>
            {
                Interlocked.Increment(ref api!._refused);
                if (retryAfter != RetryAfterWriting.Absent && context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
                {
                    context.HttpContext.Response.Headers.RetryAfter = AspNetCoreLimitedApi.RetryAfterValue(wait, retryAfter);
                }

                return ValueTask.CompletedTask;
            };
        });
        var app = builder.Build();
        api = new PaymentsApi(app, lostAnswers, seed);
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref api._calls);
            await next(context);
        });
        app.UseRateLimiter();
        app.MapPost(Path, (Func<HttpContext, Task<IResult>>)api.ChargeAsync);
        await app.StartAsync();
        return api;
    }

    /// <summary>The body of payment <paramref name="payment"/>.</summary>
    public static string Body(int payment) => $$"""{"payment":"p-{{payment}}","amount":1999,"currency":"eur"}""";

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> ChargeAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        string? payment;
        try
        {
            using var json = JsonDocument.Parse(body);
            payment = json.RootElement.TryGetProperty("payment", out var p) ? p.GetString() : null;
        }
        catch (JsonException)
        {
            payment = null;
        }

        if (payment is null)
        {
            return Results.BadRequest();
        }

        var digest = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        if (key.Length > 0 && !_keys.TryAdd(key, digest))
        {
            if (_keys[key] != digest)
            {
                Interlocked.Increment(ref _conflicts);
                return Results.UnprocessableEntity();
            }

            // A repeat of a payment already charged under this key: its answer again, no charge.
            return Results.Created($"{Path}/{payment}", null);
        }

        _charges.AddOrUpdate(payment, 1, (_, n) => n + 1);
        bool lose;
        lock (_random)
        {
            lose = _random.NextDouble() < _lostAnswers;
        }

        if (lose)
        {
            Interlocked.Increment(ref _lost);
            context.Abort();
            return Results.Empty;
        }

        return Results.Created($"{Path}/{payment}", null);
    }
}
