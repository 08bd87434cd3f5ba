using System.Buffers;
using System.Globalization;

namespace ResiliencePresets;

/// <summary>
/// The grammar of a Structured Fields key and bare item (RFC 9651 §3.1.2, §3.3), checked over a whole span: the span is
/// the item or key and nothing else, with no whitespace before or after it.
/// </summary>
/// <remarks>
/// <para>A key starts with a lowercase letter or <c>*</c> and goes on with lowercase letters, digits, <c>_</c>, <c>-</c>,
/// <c>.</c> and <c>*</c>. An integer is an optional <c>-</c> and 1 to 15 digits (leading zeros allowed, <c>-0</c> is 0);
/// a decimal has 1 to 12 digits before its point and 1 to 3 after. A string is printable ASCII between double quotes,
/// with <c>\"</c> and <c>\\</c> its only escapes. A token starts with a letter or <c>*</c> and goes on with the
/// characters of an HTTP token, <c>:</c> and <c>/</c>. A byte sequence is base64 between colons, a boolean <c>?0</c> or
/// <c>?1</c>, a date <c>@</c> and an integer, a display string <c>%"…"</c> with lowercase <c>%xx</c> escapes (whether
/// they decode to UTF-8 is not checked: a display string is never read here).</para>
/// <para>Non-ASCII characters are in none of these.</para>
/// </remarks>
internal static class StructuredFieldItem
{
    private const int MaxIntegerDigits = 15;
    private const int MaxDecimalWholeDigits = 12;
    private const int MaxDecimalFractionDigits = 3;

    private static readonly SearchValues<char> KeyChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-.*");

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~:/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> Base64Chars =
        SearchValues.Create("+/=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> LowercaseHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Returns whether <paramref name="text"/> is a key: <c>r</c>, <c>remaining</c>, <c>*x-1</c>.</summary>
    public static bool IsKey(ReadOnlySpan<char> text) => text is [>= 'a' and <= 'z' or '*', ..] && !text.ContainsAnyExcept(KeyChars);

    /// <summary>Returns whether <paramref name="text"/> is one bare item of any type.</summary>
    public static bool IsBareItem(ReadOnlySpan<char> text) => text switch
    {
        ['"', ..] => IsString(text),
        ['-' or (>= '0' and <= '9'), ..] => IsNumber(text),
        [(>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '*', .. var rest] => !rest.ContainsAnyExcept(TokenChars),
        [':', .. var bytes, ':'] => !bytes.ContainsAnyExcept(Base64Chars),
        ['?', '0' or '1'] => true,
        ['@', .. var date] => TryReadInteger(date, out _),
        ['%', '"', .. var display, '"'] => IsDisplayString(display),
        _ => false,
    };

    /// <summary>Reads an integer bare item, negative ones too; a decimal, 16 digits or more, or anything else is none.</summary>
    public static bool TryReadInteger(ReadOnlySpan<char> text, out long value)
    {
        var digits = text is ['-', .. var unsigned] ? unsigned : text;
        if (digits.Length is 0 or > MaxIntegerDigits || digits.ContainsAnyExceptInRange('0', '9'))
        {
            value = 0;
            return false;
        }

        // 15 digits are well within long, so the parse cannot overflow.
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Returns a string bare item's content, unescaped, or a token's text; <see langword="null"/> for any other item and
    /// for the empty string.
    /// </summary>
    public static string? ReadName(ReadOnlySpan<char> item)
    {
        if (item is not ['"', .. var quoted, '"'])
        {
            return item is [(>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '*', ..] ? item.ToString() : null;
        }

        if (quoted.IsEmpty)
        {
            return null;
        }

        if (!quoted.Contains('\\'))
        {
            return quoted.ToString();
        }

        Span<char> content = quoted.Length <= 256 ? stackalloc char[quoted.Length] : new char[quoted.Length];
        var length = 0;
        for (var i = 0; i < quoted.Length; i++)
        {
            // A checked string escapes only '"' and '\', so the character after a backslash is itself.
            if (quoted[i] == '\\')
            {
                i++;
            }

            content[length++] = quoted[i];
        }

        return content[..length].ToString();
    }

    private static bool IsString(ReadOnlySpan<char> text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\\':
                    if (++i == text.Length || text[i] is not ('"' or '\\'))
                    {
                        return false;
                    }

                    break;
                case '"':
                    return i == text.Length - 1;
                case < ' ' or > '~':
                    return false;
            }
        }

        return false;
    }

    private static bool IsNumber(ReadOnlySpan<char> text)
    {
        var digits = text is ['-', .. var unsigned] ? unsigned : text;
        var point = digits.IndexOf('.');
        if (point < 0)
        {
            return digits.Length is > 0 and <= MaxIntegerDigits && !digits.ContainsAnyExceptInRange('0', '9');
        }

        var whole = digits[..point];
        var fraction = digits[(point + 1)..];
        return whole.Length is > 0 and <= MaxDecimalWholeDigits && fraction.Length is > 0 and <= MaxDecimalFractionDigits &&
            !whole.ContainsAnyExceptInRange('0', '9') && !fraction.ContainsAnyExceptInRange('0', '9');
    }

    private static bool IsDisplayString(ReadOnlySpan<char> content)
    {
        for (var i = 0; i < content.Length; i++)
        {
            switch (content[i])
            {
                case '%':
                    if (i + 2 >= content.Length || !LowercaseHex.Contains(content[i + 1]) || !LowercaseHex.Contains(content[i + 2]))
                    {
                        return false;
                    }

                    i += 2;
                    break;
                case '"' or < ' ' or > '~':
                    return false;
            }
        }

        return true;
    }
}
