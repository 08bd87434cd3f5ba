using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Configuration;

public sealed class HttpClientTimeoutTests
{
    private const string Url = "http://localhost/";

    [Fact]
    public void PaymentWithIdempotencyKey_TotalTimeoutOfTwoMinutes_IsNotCutAtHttpClientsDefault100Seconds()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, Url);

        Assert.Equal(Timeout.InfiniteTimeSpan, api.Client.Timeout);
    }

    // The preset bounds a stalled body itself (BufferedResponse_BodyStallsAfterTheHeaders_...), without HttpClient's
    // timer per request.
    [Fact]
    public void AddResiliencePreset_TimeoutNotSet_IsTurnedOffAsTheStandardHandlerDoes()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, Url, configure: o => o.TotalTimeout = TimeSpan.FromSeconds(20));

        Assert.Equal(Timeout.InfiniteTimeSpan, api.Client.Timeout);
    }

    [Fact]
    public void AddResiliencePreset_TimeoutSetByTheCallerBefore_IsKept()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, Url, services: s =>
            s.ConfigureHttpClientDefaults(c => c.ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(7))));

        Assert.Equal(TimeSpan.FromSeconds(7), api.Client.Timeout);
    }

    [Fact]
    public void AddResiliencePreset_TimeoutSetByTheCallerAfter_IsKept()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, Url, client: c =>
            c.ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(9)));

        Assert.Equal(TimeSpan.FromSeconds(9), api.Client.Timeout);
    }

    // Regression: a caller's explicit 100 s was indistinguishable from HttpClient's default and was dropped.
    [Fact]
    public void AddResiliencePreset_TimeoutOf100SecondsSetByTheCallerBeforeThePreset_IsKept()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, Url, services: s =>
            s.ConfigureHttpClientDefaults(c => c.ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(100))));

        Assert.Equal(TimeSpan.FromSeconds(100), api.Client.Timeout);
    }

    [Fact]
    public void AddResiliencePreset_TimeoutOf100SecondsSetByTheCallerAfterThePreset_IsKept()
    {
        using var api = PresetClient.Create(ResiliencePresetNames.PaymentWithIdempotencyKey, Url, client: c =>
            c.ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(100)));

        Assert.Equal(TimeSpan.FromSeconds(100), api.Client.Timeout);
    }

    [Fact]
    public void AddResiliencePreset_ForEveryClient_TurnsEachTimeoutOff()
    {
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(c => c.AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));
        services.AddHttpClient("github");
        services.AddHttpClient("payments").AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey);
        using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpClientFactory>();

        using var github = factory.CreateClient("github");
        using var payments = factory.CreateClient("payments");

        Assert.Equal(Timeout.InfiniteTimeSpan, github.Timeout);
        Assert.Equal(Timeout.InfiniteTimeSpan, payments.Timeout);
    }

    [Fact]
    public void ClientWithoutAPreset_KeepsHttpClientsDefault()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("plain");
        services.AddHttpClient("api").AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        using var provider = services.BuildServiceProvider();

        using var plain = provider.GetRequiredService<IHttpClientFactory>().CreateClient("plain");

        Assert.Equal(TimeSpan.FromSeconds(100), plain.Timeout);
    }

    // Regression: TotalTimeout ended at the headers and HttpClient.Timeout was off, so a body that stalled held the
    // caller for ever.
    [Fact]
    public async Task BufferedResponse_BodyStallsAfterTheHeaders_EndsOneSecondAfterTotalTimeout()
    {
        // Long enough for the headers of a first request on a busy machine; the body never comes.
        using var server = new FaultyServer(ServerFault.StallsInTheBody);
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, server.Url, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
        });
        var clock = Stopwatch.StartNew();

        var call = api.Client.GetAsync("/stalls");
        var finished = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(call, finished);
        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Equal("The response body was not read within 3 seconds of the request's start (the preset's TotalTimeout plus 1 s).", error.Message);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"ended after {clock.Elapsed}");
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task SynchronousSend_BodyStallsAfterTheHeaders_EndsOneSecondAfterTotalTimeout()
    {
        using var server = new FaultyServer(ServerFault.StallsInTheBody);
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, server.Url, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(1);
            o.TotalTimeout = TimeSpan.FromSeconds(2);
        });
        var clock = Stopwatch.StartNew();

        var call = Task.Run(() => api.Client.Send(new HttpRequestMessage(HttpMethod.Get, "/stalls")));
        var finished = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(call, finished);
        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"ended after {clock.Elapsed}");
    }

    // The caller's timeout, longer than the preset's bound, decides: the preset leaves the body to it.
    [Fact]
    public async Task BufferedResponse_BodyStallsAndTheCallerSetTheTimeout_EndsAtTheCallersTimeout()
    {
        using var server = new FaultyServer(ServerFault.StallsInTheBody);
        using var api = PresetClient.Create(
            ResiliencePresetNames.ReadOnlyApi,
            server.Url,
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromSeconds(1);
                o.TotalTimeout = TimeSpan.FromSeconds(1);
            },
            client: c => c.ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(4)));
        var clock = Stopwatch.StartNew();

        var call = api.Client.GetAsync("/stalls");
        var finished = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(call, finished);
        var error = await Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.IsType<TimeoutException>(error.InnerException);
        // HttpClient's own timer counts the runtime's coarse milliseconds: it may end a moment before the stopwatch's 4 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4) - TimeSpan.FromMilliseconds(20), $"ended after {clock.Elapsed}");
    }

    [Fact]
    public async Task StreamedResponse_IsReturnedAtTheHeadersAndItsBodyIsTheCallersToBound()
    {
        using var server = new FaultyServer(ServerFault.StallsInTheBody);
        using var api = PresetClient.Create(ResiliencePresetNames.ReadOnlyApi, server.Url, o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(5);
            o.TotalTimeout = TimeSpan.FromSeconds(10);
        });

        using var response = await api.Client.GetAsync("/stalls", HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var buffer = new byte[100];
        await body.ReadExactlyAsync(buffer.AsMemory(0, 10), deadline.Token);

        Assert.Equal("0123456789", System.Text.Encoding.ASCII.GetString(buffer, 0, 10));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await body.ReadExactlyAsync(buffer.AsMemory(10, 90), deadline.Token));
    }
}
