using System.Globalization;
using System.Text;

namespace ResiliencePresets.Redis;

/// <summary>
/// A pause as Redis holds and announces it: Redis's time when it was read or set and the pause's end, in microseconds
/// since the Unix epoch, and the reason, bounded. Each process turns it into its own clock as <c>local now + (until -
/// redis now)</c>: only the pause's length crosses between clocks, so processes whose clocks differ honor one instant.
/// </summary>
/// <remarks>
/// The reason is the status code, the header's name, the method and the URL's scheme, host and path (never a query
/// string or a header value), each cut to a bound and cleared of the separator and control characters, so that no
/// server can make the value long. A notice that does not parse is ignored.
/// </remarks>
internal readonly record struct PauseNotice(long NowMicroseconds, long UntilMicroseconds, ClientPauseReason? Reason)
{
    private const char Separator = '|';

    /// <summary>Gets the time left on the pause when Redis read or set it.</summary>
    public TimeSpan Remaining => UntilMicroseconds > NowMicroseconds ? TimeSpan.FromMicroseconds(UntilMicroseconds - NowMicroseconds) : TimeSpan.Zero;

    /// <summary>Writes a reason as the bounded text stored and announced with the pause.</summary>
    public static string Describe(ClientPauseReason reason) => string.Join(
        Separator,
        reason.StatusCode.ToString(CultureInfo.InvariantCulture),
        Bounded(reason.HeaderName, 64),
        Bounded(reason.Method, 16),
        Bounded(reason.Url, 256));

    /// <summary>Reads the reason text back; <see langword="null"/> when it is not one.</summary>
    public static ClientPauseReason? ReadReason(string? text)
    {
        var parts = text?.Split(Separator);
        if (parts is not { Length: 4 } || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return null;
        }

        return new ClientPauseReason(status, Bounded(parts[1], 64), Bounded(parts[2], 16), Bounded(parts[3], 256));
    }

    /// <summary>Reads a notice published on the channel: <c>now|until|reason</c>.</summary>
    public static PauseNotice? Parse(string? message)
    {
        var parts = message?.Split(Separator, 3);
        if (parts is not { Length: 3 } ||
            !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var now) ||
            !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var until))
        {
            return null;
        }

        return new PauseNotice(now, until, ReadReason(parts[2]));
    }

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
