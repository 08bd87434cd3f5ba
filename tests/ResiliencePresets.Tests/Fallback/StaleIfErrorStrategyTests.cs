using System.Net;
using System.Text;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Fallback;

/// <summary>
/// The strategy alone, over a callback that plays the server, with a real <see cref="HybridCache"/> and fake time.
/// </summary>
public sealed class StaleIfErrorStrategyTests : IDisposable
{
    private const string Url = "https://api.test/items?page=1";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
    private readonly CapturedLogs _logs = new();
    private readonly PresetMetrics _metrics = new();
    private readonly StaleResponseStore _store;

    public StaleIfErrorStrategyTests() => _store = new StaleResponseStore(_services.GetRequiredService<HybridCache>);

    [Fact]
    public async Task Get_FailingAfterAGoodResponse_IsAnsweredWithItsBodyAndHeaders()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        using (var good = await SendAsync(pipeline, Get(), Ok("the items", ("ETag", "\"v1\""))))
        {
            Assert.False(StaleResponse.IsStale(good));
            Assert.Equal("the items", await good.Content.ReadAsStringAsync());
        }

        _time.Advance(TimeSpan.FromSeconds(90.7));
        using var stale = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.True(StaleResponse.IsStale(stale));
        Assert.Equal("the items", await stale.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", stale.Content.Headers.ContentType!.ToString());
        Assert.Equal("\"v1\"", stale.Headers.ETag!.Tag);
        Assert.Equal(TimeSpan.FromSeconds(90), stale.Headers.Age);
        Assert.Equal("ResiliencePresets; fwd=stale; fwd-status=503; ttl=-90; detail=stale-if-error", Assert.Single(stale.Headers.GetValues("Cache-Status")));
    }

    [Theory]
    [InlineData(299, true)]
    [InlineData(300, true)]
    [InlineData(301, false)]
    public async Task Get_KeptResponse_AnswersOnlyWhileNoOlderThanStaleIfError(int seconds, bool answered)
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, Get(), Ok("the items"));

        _time.Advance(TimeSpan.FromSeconds(seconds));
        using var response = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal(answered, StaleResponse.IsStale(response));
        Assert.Equal(answered ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Get_AgeHeaderFromTheServer_IsAddedToTheTimeKept()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, Get(), Ok("the items", ("Age", "100"), ("Cache-Control", "max-age=120")));

        _time.Advance(TimeSpan.FromSeconds(30));
        using var stale = await SendAsync(pipeline, Get(), Status(502));

        Assert.Equal(TimeSpan.FromSeconds(130), stale.Headers.Age);
        Assert.Contains("ttl=-10;", Assert.Single(stale.Headers.GetValues("Cache-Status")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ServerStaleIfErrorDirective_AnswersPastTheConfiguredWindow()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(1));
        await KeepAsync(pipeline, Get(), Ok("the items", ("Cache-Control", "max-age=60, stale-if-error=600")));

        _time.Advance(TimeSpan.FromSeconds(660));
        using (var stale = await SendAsync(pipeline, Get(), Status(503)))
        {
            Assert.True(StaleResponse.IsStale(stale));
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        using var failure = await SendAsync(pipeline, Get(), Status(503));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failure.StatusCode);
    }

    [Fact]
    public async Task Get_ServerStaleIfErrorShorterThanConfigured_KeepsTheConfiguredWindow()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, Get(), Ok("the items", ("Cache-Control", "stale-if-error=10")));

        _time.Advance(TimeSpan.FromSeconds(200));
        using var stale = await SendAsync(pipeline, Get(), Status(503));

        Assert.True(StaleResponse.IsStale(stale));
    }

    [Theory]
    [InlineData("no-store")]
    [InlineData("private, max-age=60")]
    [InlineData("no-cache")]
    public async Task Get_ResponseMarkedNotForKeeping_IsNotKeptAndForgetsTheOlderOne(string cacheControl)
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, Get(), Ok("older"));
        await KeepAsync(pipeline, Get(), Ok("newer", ("Cache-Control", cacheControl)));

        using var response = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task Get_Vary_AnswersOnlyRequestsWithTheSameValuesOfTheVariedHeaders()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, Get(("Accept-Language", "fr"), ("User-Agent", "one")), Ok("bonjour", ("Vary", "Accept-Language")));

        using var otherAgent = await SendAsync(pipeline, Get(("Accept-Language", "fr"), ("User-Agent", "two")), Status(503));
        using var otherLanguage = await SendAsync(pipeline, Get(("Accept-Language", "de")), Status(503));
        using var noLanguage = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal("bonjour", await otherAgent.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, otherLanguage.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, noLanguage.StatusCode);
    }

    [Fact]
    public async Task Get_VaryStar_IsNeverKept()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, Get(), Ok("anything", ("Vary", "*")));

        using var response = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Get_NotFoundAfterAGoodResponse_ForgetsIt()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, Get(), Ok("the item"));
        (await SendAsync(pipeline, Get(), Status(404))).Dispose();

        using var response = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Get_BodyLargerThanTheBound_IsDeliveredWholeAndNotKept()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5), maxBodyBytes: 1024);
        var body = new string('x', 4096);

        // Without Content-Length, the copy is dropped once the body grows past the bound.
        using (var large = await SendAsync(pipeline, Get(), Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ForwardOnlyStream(Encoding.UTF8.GetBytes(body))) })))
        {
            Assert.Null(large.Content.Headers.ContentLength);
            Assert.Equal(body, await large.Content.ReadAsStringAsync());
        }

        using var response = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Get_BodyReadAsAStreamToItsEnd_IsKept()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        using (var good = await SendAsync(pipeline, Get(), Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new ForwardOnlyStream(Encoding.UTF8.GetBytes("streamed"))) })))
        {
            using var reader = new StreamReader(await good.Content.ReadAsStreamAsync());
            Assert.Equal("streamed", await reader.ReadToEndAsync());
        }

        using var stale = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal("streamed", await stale.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_BodyNotReadToItsEnd_IsNotKept()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        using (var good = await SendAsync(pipeline, Get(), Ok(new string('y', 10_000))))
        {
            await using var stream = await good.Content.ReadAsStreamAsync();
            Assert.Equal(100, await stream.ReadAsync(new byte[100]));
        }

        using var response = await SendAsync(pipeline, Get(), Status(503));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Head_IsAnsweredWithTheKeptHeadersAndLength()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        var head = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([]) };
        head.Content.Headers.ContentLength = 1234;
        (await SendAsync(pipeline, new HttpRequestMessage(HttpMethod.Head, Url), Outcome.FromResult(head))).Dispose();

        using var stale = await SendAsync(pipeline, new HttpRequestMessage(HttpMethod.Head, Url), Status(503));
        using var get = await SendAsync(pipeline, Get(), Status(503));

        Assert.True(StaleResponse.IsStale(stale));
        Assert.Equal(1234, stale.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("OPTIONS")]
    public async Task UnsafeOrUncacheableMethod_IsNeverAnswered(string method)
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, new HttpRequestMessage(new HttpMethod(method), Url), Ok("created"));

        using var response = await SendAsync(pipeline, new HttpRequestMessage(new HttpMethod(method), Url), Status(503));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, _store.Count);
    }

    [Theory]
    [InlineData("no-cache")]
    [InlineData("no-store")]
    public async Task Get_RequestThatRefusesKeptResponses_IsNotAnswered(string cacheControl)
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5));
        await KeepAsync(pipeline, Get(), Ok("the items"));

        using var response = await SendAsync(pipeline, Get(("Cache-Control", cacheControl)), Status(503));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Get_OpenBreaker_IsAnsweredAndCountedAndLoggedWithoutTheQuery()
    {
        using var recorder = new MetricRecorder(PresetMetrics.MeterName);
        var pipeline = Pipeline(TimeSpan.FromMinutes(5), clientName: "stale-unit");
        await KeepAsync(pipeline, Get(), Ok("the items"));

        using var stale = await SendAsync(pipeline, Get(), Outcome.FromException<HttpResponseMessage>(new BrokenCircuitException()));

        Assert.True(StaleResponse.IsStale(stale));
        Assert.Equal("ResiliencePresets; fwd=stale; ttl=0; detail=stale-if-error", Assert.Single(stale.Headers.GetValues("Cache-Status")));
        var counted = Assert.Single(recorder.For("resiliencepresets.stale_if_error.answers", "stale-unit"));
        Assert.Equal("circuit_open", counted.Tag("resiliencepresets.reason"));
        var line = Assert.Single(_logs.Entries, e => e.EventId.Name == "StaleAnswered");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, line.Level);
        Assert.Equal("Answered stale-unit GET https://api.test/items with a stale response 0 s old after Polly.CircuitBreaker.BrokenCircuitException (circuit_open).", line.Message);
    }

    [Fact]
    public async Task Get_ManyUrls_KeepsAtMostMaxEntriesDroppingTheOldest()
    {
        var pipeline = Pipeline(TimeSpan.FromMinutes(5), maxEntries: 2);
        foreach (var page in (int[])[1, 2, 3])
        {
            await KeepAsync(pipeline, new HttpRequestMessage(HttpMethod.Get, $"https://api.test/items?page={page}"), Ok($"page {page}"));
        }

        using var first = await SendAsync(pipeline, new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=1"), Status(503));
        using var third = await SendAsync(pipeline, new HttpRequestMessage(HttpMethod.Get, "https://api.test/items?page=3"), Status(503));

        Assert.Equal(2, _store.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("page 3", await third.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        _metrics.Dispose();
        _services.Dispose();
    }

    private static HttpRequestMessage Get(params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Url);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private static Outcome<HttpResponseMessage> Ok(string body, params (string Name, string Value)[] headers)
    {
        var response = HttpMessages.Response(200, headers);
        response.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        return Outcome.FromResult(response);
    }

    private static Outcome<HttpResponseMessage> Status(int status) => Outcome.FromResult(HttpMessages.Response(status));

    private ResiliencePipeline<HttpResponseMessage> Pipeline(TimeSpan staleIfError, int maxEntries = 1000, int maxBodyBytes = 65536, string clientName = "api")
    {
        var options = BuiltInPresets.Create(ResiliencePresetNames.ReadOnlyApi);
        options.Fallback.StaleIfError = staleIfError;
        options.Fallback.MaxEntries = maxEntries;
        options.Fallback.MaxBodyBytes = maxBodyBytes;
        var preset = new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, clientName, options);
        return new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddStrategy(_ => new StaleIfErrorStrategy(preset, _store, _time, _logs.CreateLogger("ResiliencePresets"), _metrics), new StrategyOptions())
            .Build();
    }

    private static async Task<HttpResponseMessage> SendAsync(ResiliencePipeline<HttpResponseMessage> pipeline, HttpRequestMessage request, Outcome<HttpResponseMessage> server)
    {
        var context = ResilienceContextPool.Shared.Get();
        context.SetRequestMessage(request);
        try
        {
            var outcome = await pipeline.ExecuteOutcomeAsync((_, answer) => ValueTask.FromResult(answer), context, server);
            return outcome.Result ?? throw outcome.Exception!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // A good response is kept once its body has been read, as HttpClient reads it by default.
    private static async Task KeepAsync(ResiliencePipeline<HttpResponseMessage> pipeline, HttpRequestMessage request, Outcome<HttpResponseMessage> server)
    {
        using var response = await SendAsync(pipeline, request, server);
        await response.Content.LoadIntoBufferAsync();
    }

    private sealed class StrategyOptions : ResilienceStrategyOptions;
}
