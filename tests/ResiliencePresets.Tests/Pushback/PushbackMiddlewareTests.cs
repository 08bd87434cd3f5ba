using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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

    private Task<HttpResponseMessage> CallService(string pathAndQuery) => _caller.GetAsync(new Uri(new Uri(_service.Urls.Single()), pathAndQuery));

    private async Task<WebApplication> StartService(Action<ResiliencePresetOptions> configure, bool exceptionHandler = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddHttpClient("dependency", c => c.BaseAddress = new Uri(_dependency.Url))
            .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o =>
            {
                PresetClient.FastBackoff(o);
                configure(o);
            });
        var app = builder.Build();
        app.UseResiliencePresetsPushback();
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
