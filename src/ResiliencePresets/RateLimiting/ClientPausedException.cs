using System.Globalization;
using Polly;

namespace ResiliencePresets;

/// <summary>
/// Thrown instead of sending a request when the client is paused by its server (a <c>Retry-After</c> or an exhausted
/// quota) for longer than what is left of the request's <c>TotalTimeout</c>: waiting could only end in a timeout. The
/// request was not sent. The pause is the one of the request's host, or of the limit the server named for the
/// request's path (GitHub's <c>x-ratelimit-resource</c>), as docs/presets.md describes.
/// </summary>
public sealed class ClientPausedException : ExecutionRejectedException
{
    /// <summary>
    /// Initializes a new instance of the <see cref="ClientPausedException"/> class.
    /// </summary>
    public ClientPausedException()
        : this("The client is paused by its server.")
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ClientPausedException"/> class with a message.
    /// </summary>
    /// <param name="message">The message.</param>
    public ClientPausedException(string message)
        : base(message)
    {
    }

    /// <summary>
    /// Initializes a new instance of the <see cref="ClientPausedException"/> class with a message and an inner exception.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public ClientPausedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private ClientPausedException(string clientName, ClientPauseReason reason, DateTimeOffset pausedUntil, TimeSpan remaining, TimeSpan timeLeft)
        : base(string.Create(
            CultureInfo.InvariantCulture,
            $"The HttpClient '{clientName}' is paused by its server until {pausedUntil:O}, {remaining:c} from now, longer than the {timeLeft:c} left of its TotalTimeout; the request was not sent. The pause was set by the {reason.HeaderName} header of a {reason.StatusCode} response to {reason.Method} {reason.Url}.{(reason.Scope is null ? "" : $" The server named its limit '{reason.Scope}'; requests under other limits are not held.")}"))
    {
        ClientName = clientName;
        PausedUntil = pausedUntil;
        RetryAfter = remaining;
        StatusCode = reason.StatusCode;
        HeaderName = reason.HeaderName;
    }

    /// <summary>Gets the name of the paused client.</summary>
    public string? ClientName { get; }

    /// <summary>Gets the instant until which the server asked the client to wait.</summary>
    public DateTimeOffset? PausedUntil { get; }

    /// <summary>Gets how long the pause still had to run when the request was refused.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets the status code of the response that set the pause.</summary>
    public int? StatusCode { get; }

    /// <summary>Gets the header that named the wait, such as <c>Retry-After</c> or <c>X-RateLimit-Reset</c>.</summary>
    public string? HeaderName { get; }

    internal static ClientPausedException For(string clientName, ClientPauseReason reason, DateTimeOffset pausedUntil, TimeSpan remaining, TimeSpan timeLeft)
        => new(clientName, reason, pausedUntil, remaining, timeLeft);
}
