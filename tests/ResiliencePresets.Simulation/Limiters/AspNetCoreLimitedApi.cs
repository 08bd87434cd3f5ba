using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Simulation.Limiters;

/// <summary>
/// An API on Kestrel, on loopback, limited by ASP.NET Core's own rate limiting middleware (<c>AddRateLimiter</c>,
/// <c>UseRateLimiter</c>) with one global partition: <c>GET /items/{id}</c> answers 200 while the limiter grants a
/// permit, otherwise the middleware's 429, with <c>Retry-After</c> written from the lease's metadata as the variant says.
/// The limiter's logic is the framework's; only the numbers and the header are chosen here.
/// </summary>
public sealed class AspNetCoreLimitedApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AspNetCoreLimitedApi(WebApplication app) => _app = app;

    /// <summary>Gets the base address, ending in a slash.</summary>
    public Uri BaseAddress => new(_app.Urls.Single().TrimEnd('/') + "/");

    public static async Task<AspNetCoreLimitedApi> StartAsync(AspNetCoreVariant variant, int rate)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => Partition(variant.Algorithm, rate));
            options.OnRejected = (context, _) =>
            {
                if (variant.RetryAfter != RetryAfterWriting.Absent && context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
                {
                    context.HttpContext.Response.Headers.RetryAfter = RetryAfterValue(wait, variant.RetryAfter);
                }

                return ValueTask.CompletedTask;
            };
        });
        var app = builder.Build();
        app.UseRateLimiter();
        app.MapGet("/items/{id}", (string id) => Results.Text(id));
        await app.StartAsync();
        return new AspNetCoreLimitedApi(app);
    }

    /// <summary>Writes a wait as whole seconds, rounded up or truncated.</summary>
    public static string RetryAfterValue(TimeSpan wait, RetryAfterWriting writing)
        => (writing == RetryAfterWriting.RoundedUp ? (long)Math.Ceiling(wait.TotalSeconds) : (long)wait.TotalSeconds).ToString(NumberFormatInfo.InvariantInfo);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static RateLimitPartition<string> Partition(AspNetCoreAlgorithm algorithm, int rate) => algorithm switch
    {
        AspNetCoreAlgorithm.FixedWindow => RateLimitPartition.GetFixedWindowLimiter("all", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = rate,
            Window = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        }),
        AspNetCoreAlgorithm.SlidingWindow => RateLimitPartition.GetSlidingWindowLimiter("all", _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = rate,
            Window = TimeSpan.FromSeconds(1),
            SegmentsPerWindow = 4,
            QueueLimit = 0,
        }),
        _ => RateLimitPartition.GetTokenBucketLimiter("all", _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate,
            TokensPerPeriod = Math.Max(1, rate / 10),
            ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, rate / 10) / (double)rate),
            QueueLimit = 0,
        }),
    };
}
