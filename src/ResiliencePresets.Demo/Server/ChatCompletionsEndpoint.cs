using WireMock;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// An OpenAI-style chat completion: a per-key request quota; over it, 429 with <c>retry-after-ms</c> and the
/// <c>x-ratelimit-*-requests</c> headers, as OpenAI sends them.
/// </summary>
internal sealed class ChatCompletionsEndpoint : IApiEndpoint
{
    public string Method => "POST";

    public string Path => "/v1/chat/completions";

    public ResponseMessage Respond(EndpointCall call)
    {
        DateTimeOffset? reset;
        int remaining;
        lock (call.Ledger.Gate)
        {
            reset = call.Ledger.Chat.TryAcquire(call.Now, out remaining);
        }

        var limit = Responses.Number(call.Ledger.Chat.Limit);
        if (reset is not DateTimeOffset resetAt)
        {
            return Responses.Json(
                200,
                $$"""{"id":"chatcmpl-{{call.RequestId}}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}]}""",
                ("x-ratelimit-limit-requests", limit),
                ("x-ratelimit-remaining-requests", Responses.Number(remaining)));
        }

        var waitMs = (long)Math.Ceiling((resetAt - call.Now).TotalMilliseconds);
        call.Ledger.AskToWait(call.RequestId, call.Now.AddMilliseconds(waitMs), rateLimited: true);
        return Responses.Json(
            429,
            """{"error":{"message":"Rate limit reached for requests. Please try again later.","type":"requests","code":"rate_limit_exceeded"}}""",
            ("retry-after-ms", Responses.Number(waitMs)),
            ("x-ratelimit-limit-requests", limit),
            ("x-ratelimit-remaining-requests", "0"),
            ("x-ratelimit-reset-requests", $"{Responses.Number(waitMs)}ms"));
    }
}
