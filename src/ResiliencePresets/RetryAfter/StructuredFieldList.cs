namespace ResiliencePresets;

/// <summary>
/// Splits one line of a Structured Fields List or Dictionary (RFC 9651 §3.1, §3.2) into its members, honoring quoted
/// strings: a <c>,</c> or <c>;</c> inside <c>"…"</c>, or one escaped there (<c>\"</c>, <c>\\</c>), separates nothing.
/// </summary>
/// <remarks>
/// Only the separators are found here; <see cref="StructuredFieldMember"/> checks each member against the grammar. Each
/// member is handed out without the spaces and tabs around it, so a field's leading and trailing whitespace and the
/// optional whitespace around a comma are all dropped. An empty member (<c>a,,b</c>, a trailing comma, an empty field) is
/// handed out empty; a quoted string left open runs to the end of the line, as one member. Every character is looked at
/// once, however long the line.
/// </remarks>
internal ref struct StructuredFieldList
{
    private ReadOnlySpan<char> _rest;
    private bool _done;

    public StructuredFieldList(ReadOnlySpan<char> line) => _rest = line;

    /// <summary>Gets the member <see cref="MoveNext"/> found, without the whitespace around it.</summary>
    public ReadOnlySpan<char> Current { get; private set; }

    public readonly StructuredFieldList GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_done)
        {
            return false;
        }

        var end = IndexOfSeparator(_rest, ',');
        if (end < 0)
        {
            Current = _rest.Trim(" \t");
            _done = true;
        }
        else
        {
            Current = _rest[..end].Trim(" \t");
            _rest = _rest[(end + 1)..];
        }

        return true;
    }

    /// <summary>
    /// Returns where the first <paramref name="separator"/> outside a quoted string is, or -1 when there is none, or
    /// when a string is left open before one.
    /// </summary>
    public static int IndexOfSeparator(ReadOnlySpan<char> text, char separator)
    {
        var at = 0;
        while (true)
        {
            var next = text[at..].IndexOfAny('"', separator);
            if (next < 0)
            {
                return -1;
            }

            at += next;
            if (text[at] == separator)
            {
                return at;
            }

            // A display string (%"…") has no backslash escapes: its '\' is a character like any other.
            var close = ClosingQuote(text, at + 1, escapes: at == 0 || text[at - 1] != '%');
            if (close < 0)
            {
                return -1;
            }

            at = close + 1;
        }
    }

    private static int ClosingQuote(ReadOnlySpan<char> text, int start, bool escapes)
    {
        var at = start;
        while (at < text.Length)
        {
            var next = escapes ? text[at..].IndexOfAny('"', '\\') : text[at..].IndexOf('"');
            if (next < 0)
            {
                return -1;
            }

            at += next;
            if (text[at] == '"')
            {
                return at;
            }

            at += 2;
        }

        return -1;
    }
}
