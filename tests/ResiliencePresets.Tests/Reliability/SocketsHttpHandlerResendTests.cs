using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// What the runtime's own HTTP/1.1 handler does, below any preset, when a server closes the connection before the
/// first response byte. These tests pin the runtime's behavior that docs/reliability.md describes.
/// </summary>
public sealed class SocketsHttpHandlerResendTests : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHttpClientFactory _factory;

    public SocketsHttpHandlerResendTests()
    {
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        _factory = _services.GetRequiredService<IHttpClientFactory>();
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task BodilessRequest_ServerClosesCleanlyBeforeResponding_IsSentFourTimesByTheHandler(string method)
    {
        using var server = new ClosingServer();
        using var client = _factory.CreateClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{server.Url}/charges")));

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task PostWithBody_ServerClosesCleanlyBeforeResponding_IsSentOnce()
    {
        using var server = new ClosingServer();
        using var client = _factory.CreateClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"{server.Url}/charges", new StringContent("{\"amount\":100}")));

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task PostWithBodyAndExpectContinue_ServerClosesCleanlyAfterTheHead_IsSentFourTimesByTheHandler()
    {
        using var server = new ClosingServer(beforeBody: true);
        using var client = _factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/charges") { Content = new StringContent("{\"amount\":100}") };
        request.Headers.ExpectContinue = true;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        Assert.Equal(4, server.Requests.Count);
        Assert.All(server.Requests, head => Assert.Equal(["100-continue"], ClosingServer.HeaderValues(head, "Expect")));
    }

    // The handler stops waiting for 100 Continue after Expect100ContinueTimeout and sends the body; once it has started
    // to, a close before the response is no longer resent.
    [Fact]
    public async Task PostWithExpectContinue_ServerReadsTheBodyAfterTheContinueTimeoutThenCloses_IsSentOnce()
    {
        using var services = new ServiceCollection()
            .AddHttpClient("short-continue")
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromMilliseconds(50) })
            .Services.BuildServiceProvider();
        using var server = new ClosingServer();
        using var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("short-continue");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/charges") { Content = new StringContent("{\"amount\":100}") };
        request.Headers.ExpectContinue = true;

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Equal(HttpRequestError.ResponseEnded, error.HttpRequestError);
        Assert.Single(server.Requests);
        Assert.Equal(1, server.CompleteRequests);
    }

    [Fact]
    public async Task BodilessPost_ServerResetsConnectionBeforeResponding_IsSentOnce()
    {
        using var server = new ClosingServer(reset: true);
        using var client = _factory.CreateClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"{server.Url}/charges", content: null));

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task BodilessPost_KestrelAbortsTheRequest_IsSentOnceBecauseAbortResetsTheConnection()
    {
        var received = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapPost("/charges", (HttpContext context) =>
        {
            Interlocked.Increment(ref received);
            context.Abort();
        });
        await app.StartAsync();
        using var client = _factory.CreateClient();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync($"{app.Urls.Single()}/charges", content: null));

        Assert.NotEqual(HttpRequestError.ResponseEnded, error.HttpRequestError);
        Assert.Equal(1, received);
    }

    [Fact]
    public async Task PaymentWithIdempotencyKey_BodilessPost_EveryResendCarriesTheOneStampedKey()
    {
        using var server = new ClosingServer();
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, server.Url);

        await Assert.ThrowsAsync<HttpRequestException>(() => api.Client.PostAsync("/charges", content: null));

        // Four preset attempts, each sent four times by the handler.
        Assert.Equal(16, server.Requests.Count);
        Assert.Single(server.Requests.Select(KeyLine).Distinct(StringComparer.Ordinal));
        Assert.All(server.Requests, head => Assert.NotNull(KeyLine(head)));
    }

    public void Dispose() => _services.Dispose();

    private static string? KeyLine(string head)
        => head.Split("\r\n").SingleOrDefault(line => line.StartsWith("Idempotency-Key:", StringComparison.OrdinalIgnoreCase));
}
