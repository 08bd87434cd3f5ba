namespace ResiliencePresets;

/// <summary>
/// Parses a duration as Go's <c>time.Duration.String</c> writes it and OpenAI sends it in
/// <c>x-ratelimit-reset-requests</c> and <c>x-ratelimit-reset-tokens</c>: <c>1s</c>, <c>6m0s</c>, <c>20ms</c>,
/// <c>1h2m3.5s</c>, <c>59.999s</c>.
/// </summary>
/// <remarks>
/// One or more numbers, each a decimal with an optional fraction (<c>0.5</c>, <c>.5</c>, <c>5.</c>) followed by its unit:
/// <c>h</c>, <c>m</c>, <c>s</c>, <c>ms</c>, <c>us</c>, <c>µs</c> or <c>μs</c>, <c>ns</c>; a bare <c>0</c> is zero, as in
/// Go. Unlike Go, a sign is not accepted: a wait is never negative. A sum past <see cref="TimeSpan.MaxValue"/>, a number
/// without its unit, an unknown unit and any other text are not a duration. A fraction of a tick rounds up, so the wait
/// is never shorter than the one named.
/// </remarks>
internal static class GoDuration
{
    private const decimal NanosecondsPerTick = 100;

    // More whole digits are past TimeSpan.MaxValue even in nanoseconds (about 9.2e20); a number is checked against the
    // maximum for its unit before it is multiplied, so that the product stays within decimal.
    private const int MaxWholeDigits = 21;

    // Digits past these cannot move the rounded-up tick, except by not being zero.
    private const int MaxFractionDigits = 20;

    private static readonly System.Buffers.SearchValues<char> NumberChars = System.Buffers.SearchValues.Create("0123456789.");

    private static readonly decimal MaxNanoseconds = TimeSpan.MaxValue.Ticks * NanosecondsPerTick;

    public static bool TryParse(ReadOnlySpan<char> text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (text is "0")
        {
            return true;
        }

        if (text.IsEmpty)
        {
            return false;
        }

        var total = 0m;
        while (!text.IsEmpty)
        {
            var numberLength = text.IndexOfAnyExcept(NumberChars);
            if (numberLength <= 0 || !TryNumber(text[..numberLength], out var number))
            {
                return false;
            }

            text = text[numberLength..];
            var unitLength = text.IndexOfAny(NumberChars);
            var unit = unitLength < 0 ? text : text[..unitLength];
            if (Nanoseconds(unit) is not decimal perUnit)
            {
                return false;
            }

            text = text[unit.Length..];
            if (number > MaxNanoseconds / perUnit)
            {
                return false;
            }

            total += number * perUnit;
            if (total > MaxNanoseconds)
            {
                return false;
            }
        }

        duration = TimeSpan.FromTicks((long)decimal.Ceiling(total / NanosecondsPerTick));
        return true;
    }

    // Digits with at most one point, and at least one digit.
    private static bool TryNumber(ReadOnlySpan<char> text, out decimal number)
    {
        number = 0;
        var point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? [] : text[(point + 1)..];
        if (fraction.Contains('.') || (whole.IsEmpty && fraction.IsEmpty))
        {
            return false;
        }

        whole = whole.TrimStart('0');
        if (whole.Length > MaxWholeDigits)
        {
            return false;
        }

        foreach (var digit in whole)
        {
            number = (number * 10) + (digit - '0');
        }

        var scale = 0.1m;
        for (var i = 0; i < fraction.Length && i < MaxFractionDigits; i++, scale /= 10)
        {
            number += (fraction[i] - '0') * scale;
        }

        if (fraction.Length > MaxFractionDigits && fraction[MaxFractionDigits..].ContainsAnyExcept('0'))
        {
            number += scale;
        }

        return true;
    }

    private static decimal? Nanoseconds(ReadOnlySpan<char> unit) => unit switch
    {
        "h" => 3_600_000_000_000m,
        "m" => 60_000_000_000m,
        "s" => 1_000_000_000m,
        "ms" => 1_000_000m,
        "us" or "\u00B5s" or "\u03BCs" => 1_000m,
        "ns" => 1m,
        _ => null,
    };
}
