using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Simulation.Server;

/// <summary>
/// A rate-limited API on Kestrel, on loopback: <c>GET /items/{id}</c> answers 200 while the token bucket has a token,
/// otherwise 429 with <c>Retry-After</c> in whole seconds (rounded up, as the header allows no fraction), or a bare
/// 429 when started without it. With quota
/// headers on, every response also carries <c>RateLimit</c>, <c>X-RateLimit-Remaining</c> and <c>X-RateLimit-Reset</c>:
/// the whole tokens left, and the seconds (rounded up) until the bucket is full again.
/// </summary>
public sealed class RateLimitedApi : IAsyncDisposable
{
    public const string ItemsPath = "/items";

    private readonly WebApplication _app;
    private readonly ServerTokenBucket _bucket;
    private readonly bool _quotaHeaders;
    private readonly bool _retryAfter;
    private int _attempts;
    private int _rejected;
    private int _bursts;
    private long _lastRejectedTimestamp = long.MinValue;

    private RateLimitedApi(WebApplication app, ServerTokenBucket bucket, bool quotaHeaders, bool retryAfter)
    {
        _app = app;
        _bucket = bucket;
        _quotaHeaders = quotaHeaders;
        _retryAfter = retryAfter;
    }

    public Uri BaseAddress => new(_app.Urls.Single());

    /// <summary>Gets every request that reached the endpoint, admitted or not.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Gets the requests answered 429.</summary>
    public int Rejected => Volatile.Read(ref _rejected);

    /// <summary>Gets the runs of 429s: a 429 more than <see cref="BurstGap"/> after the previous one starts a new run.</summary>
    public int RejectionBursts => Volatile.Read(ref _bursts);

    /// <summary>Gets the quiet time that separates two runs of 429s.</summary>
    public static TimeSpan BurstGap { get; } = TimeSpan.FromMilliseconds(250);

    public static async Task<RateLimitedApi> StartAsync(double ratePerSecond, double capacity, bool quotaHeaders, bool retryAfter = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var api = new RateLimitedApi(app, new ServerTokenBucket(ratePerSecond, capacity, TimeProvider.System), quotaHeaders, retryAfter);
        app.MapGet(ItemsPath + "/{id}", api.Handle);
        await app.StartAsync();
        return api;
    }

    /// <summary>Raises or lowers the server's limit from now on.</summary>
    public void ChangeRate(double ratePerSecond, double capacity) => _bucket.Change(ratePerSecond, capacity);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private static string Seconds(TimeSpan wait) => ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private IResult Handle(HttpContext context, string id)
    {
        Interlocked.Increment(ref _attempts);
        var admission = _bucket.TryTake();
        var headers = context.Response.Headers;
        if (_quotaHeaders)
        {
            var remaining = admission.Remaining.ToString(CultureInfo.InvariantCulture);
            var reset = Seconds(admission.UntilFull);
            headers["RateLimit"] = $"\"default\";r={remaining};t={reset}";
            headers["X-RateLimit-Remaining"] = remaining;
            headers["X-RateLimit-Reset"] = reset;
        }

        if (admission.Admitted)
        {
            return Results.Text(id);
        }

        Interlocked.Increment(ref _rejected);
        var now = TimeProvider.System.GetTimestamp();
        var previous = Interlocked.Exchange(ref _lastRejectedTimestamp, now);
        if (previous == long.MinValue || TimeProvider.System.GetElapsedTime(previous, now) > BurstGap)
        {
            Interlocked.Increment(ref _bursts);
        }

        if (_retryAfter)
        {
            headers.RetryAfter = Seconds(admission.UntilNextToken > TimeSpan.Zero ? admission.UntilNextToken : TimeSpan.FromSeconds(1));
        }

        return Results.StatusCode(StatusCodes.Status429TooManyRequests);
    }
}
