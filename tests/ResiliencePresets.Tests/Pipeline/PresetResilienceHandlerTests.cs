using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Diagnostics;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Pipeline;

/// <summary>
/// The preset's handler keeps the contract of Microsoft.Extensions.Http.Resilience's <c>ResilienceHandler</c>: the
/// caller's resilience context, the request's metadata, and the context each attempt carries to the handlers after it.
/// </summary>
public sealed class PresetResilienceHandlerTests : IClassFixture<FlakyServer>
{
    private static readonly ResiliencePropertyKey<string> Marker = new("test.marker");
    private static readonly ResiliencePropertyKey<RequestMetadata> MetadataKey = new(TelemetryConstants.RequestMetadataKey);
    private readonly FlakyServer _server;

    public PresetResilienceHandlerTests(FlakyServer server) => _server = server;

    [Fact]
    public async Task ACallersContext_IsTheOneEveryAttemptCarries_AndIsLeftOnTheRequest()
    {
        var path = _server.Respond("/handler/callers-context", Status(503), Status(200));
        var probe = new ContextProbe();
        using var services = Services(probe);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var context = ResilienceContextPool.Shared.Get();
        context.Properties.Set(Marker, "caller");
        request.SetResilienceContext(context);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([context, context], probe.Contexts);
        Assert.Equal(["caller", "caller"], probe.Markers);
        Assert.Same(context, request.GetResilienceContext());
        ResilienceContextPool.Shared.Return(context);
    }

    [Fact]
    public async Task WithoutACallersContext_EachAttemptCarriesTheRentedOne_AndTheRequestKeepsNone()
    {
        var path = _server.Respond("/handler/rented-context", Status(503), Status(200));
        var probe = new ContextProbe();
        using var services = Services(probe);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);

        using var response = await client.SendAsync(request);

        Assert.Equal(2, probe.Contexts.Count);
        Assert.All(probe.Contexts, c => Assert.NotNull(c));
        Assert.Same(probe.Contexts[0], probe.Contexts[1]);
        Assert.Equal(probe.Requests, [request, request]);
        Assert.Null(request.GetResilienceContext());
    }

    [Fact]
    public async Task TheRequestsMetadata_ReachesTheContext_AsForTheStandardHandler()
    {
        var path = _server.Respond("/handler/metadata", Status(200));
        var probe = new ContextProbe();
        using var services = Services(probe);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        var metadata = new RequestMetadata { DependencyName = "catalog", RequestName = "GetItems" };
        request.SetRequestMetadata(metadata);

        using var response = await client.SendAsync(request);

        Assert.Same(metadata, Assert.Single(probe.Metadata));
    }

    [Fact]
    public void ASynchronousSend_RunsThePreset()
    {
        var path = _server.Respond("/handler/synchronous", Status(503), Status(200));
        var probe = new ContextProbe();
        using var services = Services(probe);
        var client = services.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);

        using var response = client.Send(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Calls(path));
        Assert.Equal(2, probe.Contexts.Count);
        Assert.Null(request.GetResilienceContext());
    }

    private ServiceProvider Services(ContextProbe probe)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("api", c => c.BaseAddress = new Uri(_server.Url))
            .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, PresetClient.FastBackoff)
            .AddHttpMessageHandler(() => probe);
        return services.BuildServiceProvider();
    }

    // The handler after the preset's: records the context and request each attempt carries.
    private sealed class ContextProbe : DelegatingHandler
    {
        public List<ResilienceContext?> Contexts { get; } = [];

        public List<string?> Markers { get; } = [];

        public List<RequestMetadata?> Metadata { get; } = [];

        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Record(request);
            return base.SendAsync(request, cancellationToken);
        }

        protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Record(request);
            return base.Send(request, cancellationToken);
        }

        private void Record(HttpRequestMessage request)
        {
            var context = request.GetResilienceContext();
            Contexts.Add(context);
            Requests.Add(request);
            Markers.Add(context is not null && context.Properties.TryGetValue(Marker, out var marker) ? marker : null);
            Metadata.Add(context is not null && context.Properties.TryGetValue(MetadataKey, out var metadata) ? metadata : null);
        }
    }
}
