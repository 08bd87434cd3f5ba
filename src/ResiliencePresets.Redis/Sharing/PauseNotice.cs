using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ResiliencePresets.Redis;

/// <summary>
/// A pause of one scope as Redis holds and announces it: the pause's end in microseconds since the Unix epoch on
/// Redis's clock, and the reason. Each process turns it into its own clock as <c>local now + (until - redis now)</c>:
/// only the pause's length crosses between clocks, so processes whose clocks differ honor one instant.
/// </summary>
/// <remarks>
/// The reason is the status code, the header's name, the method, the URL's scheme, host, port and path (never a query
/// string or a header value) and the limit's name, each cut to a bound and cleared of the separator and control
/// characters, so that no server can make a value long. The URL and the limit say which scope the pause holds, as they
/// did in the process that learned it (<see cref="RateScopes"/>). A value or notice that does not parse is ignored.
/// </remarks>
internal readonly record struct PauseNotice(long UntilMicroseconds, ClientPauseReason Reason, Uri Url)
{
    private const char Separator = '|';

    /// <summary>Returns the field of a reason's scope in the pause hash, hashed from its authority and limit; <see langword="null"/>
    /// when the reason names no absolute URL, and so no scope another process could find.</summary>
    public static string? Field(ClientPauseReason reason)
    {
        if (!IsHttp(reason.Url, out var url))
        {
            return null;
        }

        var scope = $"{url.Authority}\n{reason.Scope}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope)))[..16];
    }

    /// <summary>Writes a reason as the bounded text stored and announced with the pause.</summary>
    public static string Describe(ClientPauseReason reason) => string.Join(
        Separator,
        reason.StatusCode.ToString(CultureInfo.InvariantCulture),
        Bounded(reason.HeaderName, 64),
        Bounded(reason.Method, 16),
        Bounded(reason.Url, 256),
        RateScopeName.IsValid(reason.Scope) ? reason.Scope : string.Empty);

    /// <summary>Reads a stored value, <c>until|reason</c>; <see langword="null"/> when it is not one.</summary>
    public static PauseNotice? Read(string? value)
    {
        var parts = value?.Split(Separator);
        if (parts is not { Length: 6 } ||
            !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var until) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) ||
            Bounded(parts[4], 256) is var text && !IsHttp(text, out var url))
        {
            return null;
        }

        // A limit name that is not one is read as none: the authority's scope, which holds more requests, never fewer.
        var scope = RateScopeName.IsValid(parts[5]) ? parts[5] : null;
        return new PauseNotice(until, new ClientPauseReason(status, Bounded(parts[2], 64), Bounded(parts[3], 16), text, scope), url);
    }

    /// <summary>Reads a notice published on the channel, <c>now|until|reason</c>, with Redis's time when it was sent.</summary>
    public static (long NowMicroseconds, PauseNotice Pause)? ReadNotice(string? message)
    {
        var parts = message?.Split(Separator, 2);
        return parts is { Length: 2 } && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var now) && Read(parts[1]) is { } pause
            ? (now, pause)
            : null;
    }

    /// <summary>Gets the time left on the pause at Redis's <paramref name="nowMicroseconds"/>.</summary>
    public TimeSpan RemainingAt(long nowMicroseconds)
        => UntilMicroseconds > nowMicroseconds ? TimeSpan.FromMicroseconds(UntilMicroseconds - nowMicroseconds) : TimeSpan.Zero;

    private static bool IsHttp(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Uri? url)
        => Uri.TryCreate(text, UriKind.Absolute, out url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    private static string Bounded(string text, int length)
    {
        var bounded = new StringBuilder(Math.Min(text.Length, length));
        foreach (var c in text)
        {
            if (bounded.Length == length)
            {
                break;
            }

            if (c != Separator && !char.IsControl(c))
            {
                bounded.Append(c);
            }
        }

        return bounded.ToString();
    }
}
