using System.Globalization;
using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// Parses one value of the <c>Retry-After</c> header: delta-seconds, which may carry a decimal fraction and are then
/// rounded up to whole seconds, or an HTTP-date in any of the three forms of RFC 9110 §5.6.7.
/// </summary>
internal static class RetryAfterField
{
    // The largest delta-seconds RetryConditionHeaderValue accepts; anything longer is ignored, as it always was.
    private const long MaxDeltaSeconds = int.MaxValue;

    // RFC 9110 §5.6.7: a two-digit year that appears to be more than 50 years ahead is the most recent past year with
    // those digits.
    private const int TwoDigitYearHorizon = 50;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private static readonly string[] DayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    /// <summary>
    /// Reads the wait a value asks for: positive delta-seconds, or the time from <paramref name="now"/> until a future
    /// date. Zero, negative, past, malformed and over-long values give <see langword="false"/>.
    /// </summary>
    public static bool TryReadWait(string value, DateTimeOffset now, out TimeSpan wait)
    {
        if (TryParseDeltaSeconds(value, out var seconds))
        {
            wait = TimeSpan.FromSeconds(seconds);
            return seconds > 0;
        }

        if (TryParseDate(value, now, out var date) && date - now is { Ticks: > 0 } untilDate)
        {
            wait = untilDate;
            return true;
        }

        wait = TimeSpan.Zero;
        return false;
    }

    /// <summary>
    /// Returns whether a value names a positive wait without the clock: positive delta-seconds, or any well-formed
    /// HTTP-date (whether it is still ahead depends on when it is read).
    /// </summary>
    public static bool NamesAWait(string value)
        => TryParseDeltaSeconds(value, out var seconds) ? seconds > 0 : TryParseDate(value, DateTimeOffset.UnixEpoch, out _);

    /// <summary>
    /// Parses <c>1*DIGIT [ "." 1*DIGIT ]</c> between optional whitespace, rounding a fraction up to the next whole second.
    /// </summary>
    public static bool TryParseDeltaSeconds(ReadOnlySpan<char> value, out long seconds)
    {
        value = value.Trim();
        var point = value.IndexOf('.');
        var whole = point < 0 ? value : value[..point];
        var fraction = point < 0 ? [] : value[(point + 1)..];
        seconds = 0;
        if (whole.IsEmpty || (point >= 0 && fraction.IsEmpty) || !IsDigits(fraction) ||
            !long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds > MaxDeltaSeconds)
        {
            return false;
        }

        if (fraction.ContainsAnyExcept('0'))
        {
            seconds++;
        }

        return seconds <= MaxDeltaSeconds;
    }

    /// <summary>
    /// Parses an HTTP-date: the obsolete RFC 850 form (<c>Sunday, 06-Nov-94 08:49:37 GMT</c>) here, exactly, with its
    /// two-digit year read relative to <paramref name="now"/> and its weekday not checked; IMF-fixdate and asctime as
    /// <see cref="RetryConditionHeaderValue"/> reads them.
    /// </summary>
    public static bool TryParseDate(string value, DateTimeOffset now, out DateTimeOffset date)
    {
        // A value opening with a full day name is the RFC 850 form or nothing: read loosely, it would get another
        // parser's two-digit-year rule.
        var trimmed = value.AsSpan().Trim();
        if (SplitRfc850(trimmed) is int rest)
        {
            return TryRfc850(trimmed[rest..], now, out date);
        }

        if (RetryConditionHeaderValue.TryParse(value, out var parsed) && parsed.Date is DateTimeOffset other)
        {
            date = other;
            return true;
        }

        date = default;
        return false;
    }

    // Where the date starts, when the value opens with a full day name and a comma ("Sunday,").
    private static int? SplitRfc850(ReadOnlySpan<char> value)
    {
        var comma = value.IndexOf(',');
        if (comma < 0)
        {
            return null;
        }

        foreach (var name in DayNames)
        {
            if (value[..comma].Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return comma + 1;
            }
        }

        return null;
    }

    // " 06-Nov-94 08:49:37 GMT"
    private static bool TryRfc850(ReadOnlySpan<char> text, DateTimeOffset now, out DateTimeOffset date)
    {
        date = default;
        if (text.Length != 23 || text[0] != ' ')
        {
            return false;
        }

        text = text[1..];
        if (text[2] != '-' || text[6] != '-' || text[9] != ' ' || text[12] != ':' || text[15] != ':' ||
            !text[18..].Equals(" GMT", StringComparison.OrdinalIgnoreCase) ||
            Number(text[..2]) is not int day || Number(text[7..9]) is not int yy ||
            Number(text[10..12]) is not int hour || Number(text[13..15]) is not int minute || Number(text[16..18]) is not int second ||
            day < 1 || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var month = MonthNumber(text[3..6]);
        if (month == 0)
        {
            return false;
        }

        // The latest year ending in those digits that is not more than 50 years ahead of now.
        var horizon = now.Year <= DateTimeOffset.MaxValue.Year - TwoDigitYearHorizon ? now.AddYears(TwoDigitYearHorizon) : DateTimeOffset.MaxValue;
        for (var year = (now.Year / 100 * 100) + yy + 100; year >= (now.Year / 100 * 100) + yy - 100; year -= 100)
        {
            if (year is >= 1 and <= 9999 && day <= DateTime.DaysInMonth(year, month) &&
                new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.Zero) is var candidate && candidate <= horizon)
            {
                date = candidate;
                return true;
            }
        }

        return false;
    }

    private static int MonthNumber(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < Months.Length; i++)
        {
            if (name.Equals(Months[i], StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static int? Number(ReadOnlySpan<char> digits)
        => digits.Length == 2 && char.IsAsciiDigit(digits[0]) && char.IsAsciiDigit(digits[1]) ? ((digits[0] - '0') * 10) + digits[1] - '0' : null;

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');
}
