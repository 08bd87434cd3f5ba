using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.AspNetCore;

/// <summary>
/// Begins a <see cref="GiveUpScope"/> for each request, so the preset pipelines of the calls made while handling it
/// record what they gave up on, and marks the response when it starts (<see cref="PushbackMarks"/>), whatever writes
/// it: the endpoint or an exception handler inside this middleware.
/// </summary>
/// <remarks>
/// An exception that reaches this middleware after a call gave up is answered here with a 500 (and logged, as the
/// server logs an unhandled exception), because the server's own 500 for an unhandled exception starts no callbacks
/// and carries no headers. Any other exception goes on unchanged.
/// </remarks>
internal sealed partial class PushbackMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ResiliencePresetsPushbackOptions _options;
    private readonly ILogger _logger;

    public PushbackMiddleware(RequestDelegate next, ResiliencePresetsPushbackOptions options, ILoggerFactory loggerFactory)
    {
        _next = next;
        _options = options;
        _logger = loggerFactory.CreateLogger("ResiliencePresets.AspNetCore");
    }

    public async Task InvokeAsync(HttpContext context)
    {
        // The scope keeps what it recorded after it ends, for a response that starts after this middleware returns.
        using var scope = GiveUpScope.Begin();
        context.Response.OnStarting(static state =>
        {
            var (response, scope, options) = ((HttpResponse, GiveUpScope, ResiliencePresetsPushbackOptions))state;
            PushbackMarks.Apply(response, scope, options);
            return Task.CompletedTask;
        }, (context.Response, scope, _options));

        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (scope.Last is { } call && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            UnhandledAfterGiveUp(_logger, call.ClientName, call.Reason, e);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }

    [LoggerMessage(EventId = 1, EventName = "UnhandledAfterGiveUp", Level = LogLevel.Error,
        Message = "An unhandled exception ended a request after its call through {ClientName} gave up ({Reason}); the response is a 500 that tells callers not to retry.")]
    private static partial void UnhandledAfterGiveUp(ILogger logger, string clientName, GiveUpReason reason, Exception exception);
}
