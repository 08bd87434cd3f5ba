namespace ResiliencePresets;

/// <summary>
/// Parses an RFC 3339 instant, as Anthropic sends its quota resets (<c>anthropic-ratelimit-requests-reset</c>):
/// <c>2026-11-23T12:00:30Z</c>, <c>2026-11-23T12:00:30.25+01:00</c>.
/// </summary>
/// <remarks>
/// <c>date-time</c> of RFC 3339 §5.6: <c>YYYY-MM-DD</c>, <c>T</c> (or <c>t</c>, or a space, as §5.6's note allows),
/// <c>hh:mm:ss</c>, an optional fraction of any length (rounded up to the next tick, so the wait is never shorter than
/// the one named), and <c>Z</c> or an offset <c>±hh:mm</c>. A leap second (<c>:60</c>) is the next second. Anything
/// else, an impossible date or time, and an instant outside what <see cref="DateTimeOffset"/> holds are not an instant.
/// </remarks>
internal static class Rfc3339Instant
{
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset instant)
    {
        instant = default;
        text = text.Trim();
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] is not ('T' or 't' or ' ') || text[13] != ':' || text[16] != ':' ||
            Digits(text[..4]) is not int year || Digits(text[5..7]) is not int month || Digits(text[8..10]) is not int day ||
            Digits(text[11..13]) is not int hour || Digits(text[14..16]) is not int minute || Digits(text[17..19]) is not int second ||
            year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return false;
        }

        var rest = text[19..];
        long fractionTicks = 0;
        if (rest[0] == '.')
        {
            var digits = rest[1..].IndexOfAnyExceptInRange('0', '9');
            if (digits <= 0)
            {
                return false;
            }

            fractionTicks = FractionTicks(rest.Slice(1, digits));
            rest = rest[(digits + 1)..];
        }

        if (Offset(rest) is not long offsetTicks)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, 0).Ticks + (second * TimeSpan.TicksPerSecond) + fractionTicks;
        var utc = local - offsetTicks;
        if (utc < DateTimeOffset.MinValue.UtcTicks || utc > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        instant = new DateTimeOffset(utc, TimeSpan.Zero);
        return true;
    }

    // "Z", "z", "+hh:mm" or "-hh:mm", and nothing after it.
    private static long? Offset(ReadOnlySpan<char> text)
    {
        if (text is "Z" or "z")
        {
            return 0;
        }

        if (text.Length != 6 || text[0] is not ('+' or '-') || text[3] != ':' ||
            Digits(text[1..3]) is not int hours || Digits(text[4..6]) is not int minutes || hours > 23 || minutes > 59)
        {
            return null;
        }

        var ticks = (hours * TimeSpan.TicksPerHour) + (minutes * TimeSpan.TicksPerMinute);
        return text[0] == '-' ? -ticks : ticks;
    }

    // The first seven digits are ticks; any non-zero digit after them rounds up by one.
    private static long FractionTicks(ReadOnlySpan<char> digits)
    {
        long ticks = 0;
        for (var i = 0; i < 7; i++)
        {
            ticks = (ticks * 10) + (i < digits.Length ? digits[i] - '0' : 0);
        }

        return digits.Length > 7 && digits[7..].ContainsAnyExcept('0') ? ticks + 1 : ticks;
    }

    private static int? Digits(ReadOnlySpan<char> text)
    {
        var value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
