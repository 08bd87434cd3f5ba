using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using ResiliencePresets.AspNetCore;
using ResiliencePresets.Tests.TestSupport;
using WireMock.ResponseBuilders;

namespace ResiliencePresets.Tests.Pushback;

/// <summary>
/// A service on Kestrel, with <c>UseResiliencePresetsPushback()</c>, that calls a WireMock.Net dependency through a
/// preset; what the service's callers receive.
/// </summary>
public sealed class PushbackMiddlewareTests : IAsyncLifetime, IDisposable
{
    private readonly FlakyServer _dependency = new();
    private readonly HttpClient _caller = new();
    private WebApplication _service = null!;
    private int _serviceArrivals;

    public async Task InitializeAsync() => _service = await StartService(o => { });

    public async Task DisposeAsync() => await _service.DisposeAsync();

    public void Dispose()
    {
        _caller.Dispose();
        _dependency.Dispose();
    }

    [Fact]
    public async Task ErrorAfterTheDependencyCallSpentItsRetries_TellsCallersNotToRetry()
    {
        var path = _dependency.Respond("/down", Response.Create().WithStatusCode(503));

        using var response = await CallService($"/forward?to={path}");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(["false"], response.Headers.GetValues("x-should-retry"));
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.Equal(5, _dependency.Calls(path));
    }

    [Fact]
    public async Task DependencyWaitLongerThanThePresetHonors_IsPassedOnAsRetryAfter()
    {
        var path = _dependency.Respond("/busy", Response.Create().WithStatusCode(503).WithHeader("Retry-After", "120"));

        using var response = await CallService($"/forward?to={path}");

        Assert.Equal(["false"], response.Headers.GetValues("x-should-retry"));
        Assert.Equal(TimeSpan.FromSeconds(120), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, _dependency.Calls(path));
    }

    [Fact]
    public async Task DependencyWaitAsAnHttpDate_IsPassedOnAsRetryAfterInSeconds()
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(120);
        var path = _dependency.Respond("/busy-until", Response.Create().WithStatusCode(503).WithHeader("Retry-After", until.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));

        using var response = await CallService($"/forward?to={path}");

        Assert.Equal(["false"], response.Headers.GetValues("x-should-retry"));
        Assert.InRange(response.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(121));
        Assert.Null(response.Headers.RetryAfter?.Date);
        Assert.Equal(1, _dependency.Calls(path));
    }

    [Theory]
    [InlineData("false", true, 1)]
    [InlineData("FALSE", true, 1)]
    [InlineData("maybe", true, 5)]
    [InlineData("true", true, 5)]
    public async Task DependencyVerdictOnA503_DecidesItsRetriesAndTheMark(string verdict, bool marked, int calls)
    {
        var path = _dependency.Respond($"/verdict-{verdict}-{Guid.NewGuid():N}", Response.Create().WithStatusCode(503).WithHeader("x-should-retry", verdict));

        using var response = await CallService($"/forward?to={path}");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(marked, response.Headers.Contains("x-should-retry"));
        Assert.Equal(calls, _dependency.Calls(path));
    }

    [Fact]
    public async Task ExceptionThatEscapesAfterTheDependencyGaveUp_IsMarkedOnTheServersOwn500()
    {
        var path = _dependency.Respond("/down-throw", Response.Create().WithStatusCode(503));

        using var response = await CallService($"/forward-or-throw?to={path}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(["false"], response.Headers.GetValues("x-should-retry"));
    }

    [Fact]
    public async Task ErrorPageOfAnExceptionHandlerInsideThePushback_IsMarked()
    {
        await using var service = await StartService(o => { }, exceptionHandler: true);
        var path = _dependency.Respond("/down-page", Response.Create().WithStatusCode(503));

        using var response = await _caller.GetAsync(new Uri(new Uri(service.Urls.Single()), $"/forward-or-throw?to={path}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("error page", await response.Content.ReadAsStringAsync());
        Assert.Equal(["false"], response.Headers.GetValues("x-should-retry"));
    }

    [Fact]
    public async Task ErrorFromTheServicesOwnBug_IsNotMarked()
    {
        using var thrown = await CallService("/bug");
        using var answered = await CallService("/bug-500");

        Assert.Equal(HttpStatusCode.InternalServerError, thrown.StatusCode);
        Assert.False(thrown.Headers.Contains("x-should-retry"));
        Assert.Equal(HttpStatusCode.InternalServerError, answered.StatusCode);
        Assert.False(answered.Headers.Contains("x-should-retry"));
    }

    [Fact]
    public async Task ErrorAfterADependencyCallThatSucceededOnARetry_IsNotMarked()
    {
        var path = _dependency.Respond("/flaky", Response.Create().WithStatusCode(503), Response.Create().WithStatusCode(200));

        using var response = await CallService($"/call-then-fail?to={path}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.False(response.Headers.Contains("x-should-retry"));
        Assert.Equal(2, _dependency.Calls(path));
    }

    [Fact]
    public async Task ClientErrorAfterTheDependencyGaveUp_IsNotMarked()
    {
        var path = _dependency.Respond("/down-4xx", Response.Create().WithStatusCode(503));

        using var response = await CallService($"/forward-as-404?to={path}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains("x-should-retry"));
    }

    [Fact]
    public async Task StatusPastThe5xxRangeAfterTheDependencyGaveUp_IsNotMarked()
    {
        var path = _dependency.Respond("/down-600", Response.Create().WithStatusCode(503));

        using var response = await CallService($"/forward-as-600?to={path}");

        Assert.Equal(600, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("x-should-retry"));
    }

    [Fact]
    public async Task StatusTheDependencyNeverRetries_IsNotMarked()
    {
        var path = _dependency.Respond("/missing", Response.Create().WithStatusCode(404));

        using var response = await CallService($"/forward?to={path}");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.False(response.Headers.Contains("x-should-retry"));
    }

    [Fact]
    public async Task OpenBreaker_IsMarkedWithTheTimeUntilItCloses_AndFailuresWithoutRetriesAreNot()
    {
        await using var service = await StartService(o =>
        {
            o.Retry.MaxRetryAttempts = 0;
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
        });
        var path = _dependency.Respond("/failing", Response.Create().WithStatusCode(500));
        var url = new Uri(new Uri(service.Urls.Single()), $"/forward?to={path}");

        using var first = await _caller.GetAsync(url);
        using var second = await _caller.GetAsync(url);
        using var refused = await _caller.GetAsync(url);

        Assert.False(first.Headers.Contains("x-should-retry"));
        Assert.False(second.Headers.Contains("x-should-retry"));
        Assert.Equal(["false"], refused.Headers.GetValues("x-should-retry"));
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        Assert.Equal(2, _dependency.Calls(path));
    }

    [Fact]
    public async Task PresetClientOfTheService_DoesNotRetryAMarkedError()
    {
        var path = _dependency.Respond("/down-again", Response.Create().WithStatusCode(503));
        using var client = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, _service.Urls.Single());

        using var response = await client.Client.GetAsync(new Uri($"/forward-503?to={path}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, Volatile.Read(ref _serviceArrivals));
        Assert.Equal(5, _dependency.Calls(path));
    }

    [Fact]
    public async Task SendRetryAfterOff_MarksTheErrorWithoutTheDependencysWait()
    {
        await using var service = await StartService(o => { }, pushback: o => o.SendRetryAfter = false);
        var path = _dependency.Respond("/busy-quiet", Response.Create().WithStatusCode(503).WithHeader("Retry-After", "120"));

        using var response = await _caller.GetAsync(new Uri(new Uri(service.Urls.Single()), $"/forward?to={path}"));

        Assert.Equal(["false"], response.Headers.GetValues("x-should-retry"));
        Assert.False(response.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task WaitInMilliseconds_IsPassedOnInWholeSecondsRoundedUp()
    {
        await using var service = await StartService(o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(1));
        var path = _dependency.Respond("/busy-ms", Response.Create().WithStatusCode(503).WithHeader("retry-after-ms", "1001"));

        using var response = await _caller.GetAsync(new Uri(new Uri(service.Urls.Single()), $"/forward?to={path}"));

        Assert.Equal(["false"], response.Headers.GetValues("x-should-retry"));
        Assert.Equal(["2"], response.Headers.GetValues("Retry-After"));
        Assert.Equal(1, _dependency.Calls(path));
    }

    [Theory]
    [InlineData("x-should-retry=true&Retry-After=5", "true", "5")]
    [InlineData("Retry-After=5", "false", "5")]
    [InlineData("x-should-retry=true", "true", "120")]
    public async Task MarkTheServiceSetItself_IsKept(string own, string shouldRetry, string retryAfter)
    {
        var path = _dependency.Respond($"/busy-own-{Guid.NewGuid():N}", Response.Create().WithStatusCode(503).WithHeader("Retry-After", "120"));

        using var response = await CallService($"/forward-with-own-headers?to={path}&{own}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal([shouldRetry], response.Headers.GetValues("x-should-retry"));
        Assert.Equal([retryAfter], response.Headers.GetValues("Retry-After"));
    }

    [Fact]
    public async Task TwoDependencyCallsThatGaveUpAtOnce_PassOnTheLongerWait()
    {
        var shorter = _dependency.Respond("/busy-60", Response.Create().WithStatusCode(503).WithHeader("Retry-After", "60"));
        var longer = _dependency.Respond("/busy-300", Response.Create().WithStatusCode(429).WithHeader("Retry-After", "300"));

        using var response = await CallService($"/forward-both?to={longer}&to={shorter}");

        Assert.Equal(["false"], response.Headers.GetValues("x-should-retry"));
        Assert.Equal(TimeSpan.FromSeconds(300), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task ClientPausedByTheDependency_IsMarkedWithWhatIsLeftOfThePause()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        // A wait longer than the 20 s a request has is not waited for, and pauses the client for every later request.
        await using var service = await StartService(o => o.TotalTimeout = TimeSpan.FromSeconds(20), time: time);
        var path = _dependency.Respond("/quota", Response.Create().WithStatusCode(429).WithHeader("Retry-After", "25"));
        var url = new Uri(new Uri(service.Urls.Single()), $"/forward?to={path}");

        using var first = await _caller.GetAsync(url);
        time.Advance(TimeSpan.FromSeconds(2.5));
        using var refused = await _caller.GetAsync(url);

        Assert.Equal(TimeSpan.FromSeconds(25), first.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.BadGateway, refused.StatusCode);
        Assert.Equal(["false"], refused.Headers.GetValues("x-should-retry"));
        Assert.Equal(["23"], refused.Headers.GetValues("Retry-After"));
        Assert.Equal(1, _dependency.Calls(path));
    }

    [Fact]
    public async Task ExceptionThatEscapesAfterTheDependencyGaveUp_IsLoggedAsAnErrorNamingTheClientAndWhy()
    {
        var logs = new CapturedLogs();
        await using var service = await StartService(o => { }, logs: logs);
        var path = _dependency.Respond("/down-logged", Response.Create().WithStatusCode(503));

        using var response = await _caller.GetAsync(new Uri(new Uri(service.Urls.Single()), $"/forward-or-throw?to={path}"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var entry = Assert.Single(logs.Entries, e => e.Category == "ResiliencePresets.AspNetCore");
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("UnhandledAfterGiveUp", entry.EventId.Name);
        Assert.Contains("dependency", entry.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(GiveUpReason.RetriesExhausted), entry.Message, StringComparison.Ordinal);
        Assert.Contains("HttpRequestException", entry.AllText, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> CallService(string pathAndQuery) => _caller.GetAsync(new Uri(new Uri(_service.Urls.Single()), pathAndQuery));

    private async Task<WebApplication> StartService(
        Action<ResiliencePresetOptions> configure,
        bool exceptionHandler = false,
        Action<ResiliencePresetsPushbackOptions>? pushback = null,
        TimeProvider? time = null,
        CapturedLogs? logs = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        if (time is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(time);
        }

        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddHttpClient("dependency", c => c.BaseAddress = new Uri(_dependency.Url))
            .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o =>
            {
                PresetClient.FastBackoff(o);
                configure(o);
            });
        var app = builder.Build();
        app.UseResiliencePresetsPushback(pushback ?? (_ => { }));
        if (exceptionHandler)
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = c => c.Response.WriteAsync("error page") });
        }

        app.MapGet("/forward", (HttpContext c, IHttpClientFactory f) => Forward(c, f, failure: StatusCodes.Status502BadGateway));
        app.MapGet("/forward-503", (HttpContext c, IHttpClientFactory f) => Forward(c, f, failure: StatusCodes.Status503ServiceUnavailable));
        app.MapGet("/forward-as-600", (HttpContext c, IHttpClientFactory f) => Forward(c, f, failure: 600));
        app.MapGet("/forward-as-404", (HttpContext c, IHttpClientFactory f) => Forward(c, f, failure: StatusCodes.Status404NotFound));
        app.MapGet("/forward-or-throw", async (HttpContext c, IHttpClientFactory f) =>
        {
            using var response = await Dependency(c, f);
            response.EnsureSuccessStatusCode();
        });
        app.MapGet("/forward-with-own-headers", async (HttpContext c, IHttpClientFactory f) =>
        {
            using var response = await Dependency(c, f);
            foreach (var (name, value) in c.Request.Query.Where(q => q.Key != "to"))
            {
                c.Response.Headers[name] = value;
            }

            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        app.MapGet("/forward-both", async (HttpContext c, IHttpClientFactory f) =>
        {
            var client = f.CreateClient("dependency");
            var calls = c.Request.Query["to"].Select(to => client.GetAsync(new Uri(to!, UriKind.Relative), c.RequestAborted)).ToList();
            foreach (var response in await Task.WhenAll(calls))
            {
                response.Dispose();
            }

            return Results.StatusCode(StatusCodes.Status502BadGateway);
        });
        app.MapGet("/call-then-fail", async (HttpContext c, IHttpClientFactory f) =>
        {
            using var response = await Dependency(c, f);
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        });
        app.MapGet("/bug", string () => throw new InvalidOperationException("a bug in the service"));
        app.MapGet("/bug-500", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
        await app.StartAsync();
        return app;
    }

    private async Task<IResult> Forward(HttpContext context, IHttpClientFactory factory, int failure)
    {
        Interlocked.Increment(ref _serviceArrivals);
        try
        {
            using var response = await Dependency(context, factory);
            return response.IsSuccessStatusCode ? Results.Ok() : Results.StatusCode(failure);
        }
        catch (Exception e) when (e is HttpRequestException or Polly.ExecutionRejectedException)
        {
            return Results.StatusCode(failure);
        }
    }

    private static Task<HttpResponseMessage> Dependency(HttpContext context, IHttpClientFactory factory)
        => factory.CreateClient("dependency").GetAsync(new Uri(context.Request.Query["to"].ToString(), UriKind.Relative), context.RequestAborted);
}
