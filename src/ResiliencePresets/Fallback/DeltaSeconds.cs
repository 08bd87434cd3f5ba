using System.Globalization;

namespace ResiliencePresets;

/// <summary>
/// Reads RFC 9111's delta-seconds (§1.2.2), the number in <c>Age</c>, <c>max-age</c> and <c>stale-if-error</c>: one or
/// more digits and nothing else. A number past the greatest 31-bit integer is read as 2147483648, "practically
/// forever", as the RFC asks, instead of failing; a sign, a fraction, an exponent or any other character is not a
/// number at all.
/// </summary>
internal static class DeltaSeconds
{
    public static readonly TimeSpan Forever = TimeSpan.FromSeconds(2147483648L);

    public static TimeSpan? Read(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < Forever.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : Forever;
    }
}
