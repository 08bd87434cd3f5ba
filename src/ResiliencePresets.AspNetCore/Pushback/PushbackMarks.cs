using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ResiliencePresets.AspNetCore;

/// <summary>
/// Decides what an error response says to the service's callers about retrying: the one place of that rule.
/// </summary>
/// <remarks>
/// A response is marked only when its status is 5xx and a call made while handling the request gave up
/// (<see cref="GiveUpScope"/>). It then gets <c>x-should-retry: false</c> and, when a wait was named and the response
/// has no <c>Retry-After</c>, that wait in whole seconds, rounded up. A value the application set itself is kept.
/// </remarks>
internal static class PushbackMarks
{
    public const string ShouldRetryHeader = "x-should-retry";
    public const string RetryAfterHeader = "Retry-After";

    public static void Apply(HttpResponse response, GiveUpScope scope, ResiliencePresetsPushbackOptions options)
    {
        if (response.StatusCode is < 500 or > 599 || scope.Last is null)
        {
            return;
        }

        response.Headers.TryAdd(ShouldRetryHeader, "false");
        if (options.SendRetryAfter && scope.RetryAfter is { } wait && wait >= TimeSpan.Zero)
        {
            var seconds = (long)Math.Min(Math.Ceiling(wait.TotalSeconds), int.MaxValue);
            response.Headers.TryAdd(RetryAfterHeader, seconds.ToString(CultureInfo.InvariantCulture));
        }
    }
}
