using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using Polly.CircuitBreaker;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using WireMock.ResponseBuilders;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Clients;

/// <summary>
/// The OpenAI recipe of docs/clients.md: the SDK sends through an <see cref="HttpClient"/> from the factory, with its
/// own retries off.
/// </summary>
public sealed class OpenAiRecipeTests
{
    private const string ClientName = "openai";
    private const string Completions = "/v1/chat/completions";

    // The fields ChatCompletion reads; the SDK ignores the rest of a real answer.
    private const string CompletionJson = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello."},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}
        """;

    // Chat completions are POSTs: retried here as the SDK itself would retry them.
    private const string RetryPosts = """ "Methods": { "POST": "Retry" } """;

    private static IResponseBuilder Completion => Response.Create().WithStatusCode(200)
        .WithHeader("Content-Type", "application/json").WithBody(CompletionJson);

    [Fact]
    public async Task RetryAfterMs429_IsHonoredOnceAndNotStacked()
    {
        using var server = new FlakyServer();
        server.Respond(Completions, Status(429, ("retry-after-ms", "150")), Completion);
        using var host = Host(server, RecipeSettings.Client(ClientName, retries: 4, RetryPosts), ResiliencePresetNames.IdempotentWrite);
        var chat = host.Services.GetRequiredService<ChatClient>();

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal("Hello.", completion.Content[0].Text);
        Assert.Equal(2, server.Calls(Completions));
        Assert.True(server.Gaps(Completions)[0] >= TimeSpan.FromMilliseconds(150), $"retried after {server.Gaps(Completions)[0]}");
    }

    [Fact]
    public async Task ServerError_IsSentOnlyThePresetsAttempts_TheSdksRetryIsOff()
    {
        using var server = new FlakyServer();
        server.Respond(Completions, Status(503));
        using var host = Host(server, RecipeSettings.Client(ClientName, retries: 2, RetryPosts), ResiliencePresetNames.IdempotentWrite);
        var chat = host.Services.GetRequiredService<ChatClient>();

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(503, failure.Status);
        Assert.Equal(3, server.Calls(Completions)); // The SDK's default 3 retries on top would make 12.
    }

    [Fact]
    public async Task PaymentPost_SdkSerializedBody_CarriesOneKeyAndTheSameBytesOnEveryAttempt()
    {
        using var server = new FlakyServer();
        server.Respond(Completions, Status(503), Status(500), Completion);
        using var host = Host(server, RecipeSettings.Client(ClientName, retries: 3), ResiliencePresetNames.PaymentWithIdempotencyKey);
        var chat = host.Services.GetRequiredService<ChatClient>();

        await chat.CompleteChatAsync([new UserChatMessage("Hi")]);

        var requests = server.Requests(Completions);
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
        Assert.Contains("\"Hi\"", requests[0].RequestMessage.Body, StringComparison.Ordinal);
        Assert.All(requests, e => Assert.Equal(requests[0].RequestMessage.BodyAsBytes, e.RequestMessage.BodyAsBytes));
    }

    [Fact]
    public async Task PaymentPost_OneShotBinaryContent_IsBufferedAndSentByteIdentical()
    {
        using var server = new FlakyServer();
        server.Respond(Completions, Status(503), Completion);
        using var host = Host(server, RecipeSettings.Client(ClientName, retries: 3), ResiliencePresetNames.PaymentWithIdempotencyKey);
        var chat = host.Services.GetRequiredService<ChatClient>();
        using var body = new OneShotBinaryContent(ForwardOnlyStream.Payload);

        await chat.CompleteChatAsync(body);

        var requests = server.Requests(Completions);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, e => Assert.Equal(ForwardOnlyStream.Payload, e.RequestMessage.BodyAsBytes));
        Assert.Single(requests.Select(e => e.RequestMessage.Headers!["Idempotency-Key"].Single()).Distinct());
    }

    [Fact]
    public async Task OpenBreaker_ReachesTheCallerAsBrokenCircuitException()
    {
        using var server = new FlakyServer();
        server.Respond(Completions, Status(503));
        using var host = Host(server, RecipeSettings.QuickBreaker(ClientName), ResiliencePresetNames.IdempotentWrite);
        var chat = host.Services.GetRequiredService<ChatClient>();
        await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));
        await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));

        await Assert.ThrowsAsync<BrokenCircuitException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(2, server.Calls(Completions));
    }

    [Fact]
    public async Task PauseLongerThanTheTotalTimeout_ReachesTheCallerAsClientPausedException()
    {
        using var server = new FlakyServer();
        server.Respond(Completions, Status(429, ("retry-after-ms", "10000")));
        await ServerWarmUp.SendAsync(server.Url);
        using var host = Host(server, RecipeSettings.ShortTotalTimeout(ClientName), ResiliencePresetNames.IdempotentWrite);
        var chat = host.Services.GetRequiredService<ChatClient>();
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));
        Assert.Equal(429, refused.Status);

        await Assert.ThrowsAsync<ClientPausedException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(1, server.Calls(Completions));
    }

    [Fact]
    public async Task TotalTimeout_ReachesTheCallerAsTimeoutRejectedException()
    {
        using var server = new FlakyServer();
        server.RespondSlowOnce(Completions, TimeSpan.FromSeconds(3));
        using var host = Host(server, RecipeSettings.QuickTotalTimeout(ClientName), ResiliencePresetNames.IdempotentWrite);
        var chat = host.Services.GetRequiredService<ChatClient>();

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")]));
    }

    // The recipe, as docs/clients.md shows it.
    private static PresetHost Host(FlakyServer server, string json, string preset) => PresetHost.Create(json, server.Url, (services, url) =>
    {
        services.AddHttpClient(ClientName).AddResiliencePreset(preset);
        services.AddSingleton(sp => new ChatClient(
            "gpt-4o-mini",
            new ApiKeyCredential("sk-test"),
            new OpenAIClientOptions
            {
                Endpoint = new Uri($"{url}/v1"),
                Transport = new HttpClientPipelineTransport(sp.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName)),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = Timeout.InfiniteTimeSpan,
            }));
    });
}
