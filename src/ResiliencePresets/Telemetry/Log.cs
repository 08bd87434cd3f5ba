using Microsoft.Extensions.Logging;

namespace ResiliencePresets;

/// <summary>
/// The library's log messages. They carry no header values and no query strings.
/// </summary>
internal static partial class Log
{
    public static void RetryScheduled(ILogger logger, string clientName, HttpRequestMessage request, in RetryDecision planned, int retryNumber, TimeSpan delay)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var source = planned.Source switch
        {
            RetryDelaySource.ServerHeader => planned.SourceHeader ?? "server",
            RetryDelaySource.LearnedRate => "the client's learned rate",
            _ => "backoff",
        };
        var url = SafeUrl.From(request.RequestUri);
        RetryScheduled(logger, clientName, request.Method.Method, url, planned.Cause, retryNumber, delay.TotalMilliseconds, source);
    }

    public static void RetryDeclined(ILogger logger, string clientName, HttpRequestMessage request, string cause, string reason)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var url = SafeUrl.From(request.RequestUri);
        RetryDeclined(logger, clientName, request.Method.Method, url, cause, reason);
    }

    public static void StaleAnswered(ILogger logger, string clientName, HttpRequestMessage request, in StaleIfErrorFailure failure, long ageSeconds)
    {
        if (!logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        StaleAnswered(logger, clientName, request.Method.Method, SafeUrl.From(request.RequestUri), failure.ErrorType, failure.Reason, ageSeconds);
    }

    /// <summary>Logs that a client started throttling, with its rate and what taught it: the status and the name of
    /// the header that named a wait or quota, never a value.</summary>
    public static void ThrottlingStarted(ILogger logger, string clientName, double permitsPerSecond, in AttemptVerdict verdict)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var header = verdict.ServerWait?.HeaderName ?? verdict.QuotaHeader ?? (verdict.HasWaitHeaders ? "a wait header without a usable value" : "no wait or quota header");
        var rate = Math.Round(permitsPerSecond, 3);
        ThrottlingStarted(logger, clientName, rate, verdict.StatusCode, header);
    }

    [LoggerMessage(EventId = 8, EventName = "ThrottlingStarted", Level = LogLevel.Information,
        Message = "{ClientName} now paces every request at a learned rate of {PermitsPerSecond} per second, taught by a {StatusCode} response with {Signal}.")]
    private static partial void ThrottlingStarted(ILogger logger, string clientName, double permitsPerSecond, int statusCode, string signal);

    [LoggerMessage(EventId = 9, EventName = "ThrottlingStopped", Level = LogLevel.Information,
        Message = "{ClientName} stopped pacing its requests: no rate signal for {QuietPeriod}.")]
    public static partial void ThrottlingStopped(ILogger logger, string clientName, TimeSpan quietPeriod);

    [LoggerMessage(EventId = 1, EventName = "RetryScheduled", Level = LogLevel.Information,
        Message = "Retrying {ClientName} {Method} {Url} after {Cause}: retry {RetryNumber} in {DelayMs} ms, delay from {DelaySource}.")]
    private static partial void RetryScheduled(ILogger logger, string clientName, string method, string url, string cause, int retryNumber, double delayMs, string delaySource);

    [LoggerMessage(EventId = 2, EventName = "RetryDeclined", Level = LogLevel.Information,
        Message = "Not retrying {ClientName} {Method} {Url} after {Cause}: {Reason}.")]
    private static partial void RetryDeclined(ILogger logger, string clientName, string method, string url, string cause, string reason);

    [LoggerMessage(EventId = 3, EventName = "ConfigurationRejected", Level = LogLevel.Error,
        Message = "A change to the ResiliencePresets configuration was rejected for client {ClientName}; its last good settings stay in force. {Errors}")]
    public static partial void ConfigurationRejected(ILogger logger, string clientName, string errors);

    [LoggerMessage(EventId = 6, EventName = "ConfigurationLayoutRejected", Level = LogLevel.Error,
        Message = "A change to the ResiliencePresets configuration has problems outside any client's settings; those parts are ignored. {Errors}")]
    public static partial void ConfigurationLayoutRejected(ILogger logger, string errors);

    [LoggerMessage(EventId = 4, EventName = "ConfigurationApplied", Level = LogLevel.Information,
        Message = "A change to the ResiliencePresets configuration was applied to client {ClientName}.")]
    public static partial void ConfigurationApplied(ILogger logger, string clientName);

    [LoggerMessage(EventId = 5, EventName = "RateLimitRejected", Level = LogLevel.Warning,
        Message = "A request of {ClientName} was rejected by its rate limit: {QueueLimit} requests were already waiting for a permit.")]
    public static partial void RateLimitRejected(ILogger logger, string clientName, int queueLimit);

    [LoggerMessage(EventId = 7, EventName = "StaleAnswered", Level = LogLevel.Warning,
        Message = "Answered {ClientName} {Method} {Url} with a stale response {AgeSeconds} s old after {ErrorType} ({Reason}).")]
    private static partial void StaleAnswered(ILogger logger, string clientName, string method, string url, string errorType, string reason, long ageSeconds);
}
