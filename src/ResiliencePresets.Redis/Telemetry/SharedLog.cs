using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Redis;

/// <summary>The Redis package's log messages: one Warning when Redis is lost, one Information when it is back.</summary>
internal static partial class SharedLog
{
    public const string Category = "ResiliencePresets.Redis";

    [LoggerMessage(EventId = 101, EventName = "SharedStateDegraded", Level = LogLevel.Warning,
        Message = "Redis cannot be reached ({Reason} during {Operation}); clients go on with local pauses and a bucket divided among the instances last seen, until it is back.")]
    public static partial void Degraded(ILogger logger, string operation, string reason);

    [LoggerMessage(EventId = 103, EventName = "SharedStateConnectFailed", Level = LogLevel.Error,
        Message = "The Redis connection for ResiliencePresets could not be created ({Reason}); clients run on local state only.")]
    public static partial void ConnectFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 102, EventName = "SharedStateRecovered", Level = LogLevel.Information,
        Message = "Redis can be reached again after {Seconds:0.0} s; clients share their pauses and buckets again.")]
    public static partial void Recovered(ILogger logger, double seconds);
}
