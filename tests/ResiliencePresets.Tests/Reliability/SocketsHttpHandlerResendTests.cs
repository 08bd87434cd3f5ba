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
