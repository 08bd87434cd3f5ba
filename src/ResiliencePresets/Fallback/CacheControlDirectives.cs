using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// The directives of a <c>Cache-Control</c> header as RFC 9111 §5.2 writes them, read once: every line, split at the
/// commas outside quoted strings, names compared without case, values unquoted, unknown directives kept and ignored by
/// whoever does not ask for them. Read by hand because <see cref="CacheControlHeaderValue"/> drops a whole line when any
/// one directive in it is malformed (<c>no-store, max-age=a3600</c> would lose its <c>no-store</c>).
/// </summary>
internal sealed class CacheControlDirectives
{
    private const string HeaderName = "Cache-Control";

    private static readonly CacheControlDirectives None = new([]);

    private readonly List<(string Name, string? Value)> _directives;

    private CacheControlDirectives(List<(string Name, string? Value)> directives) => _directives = directives;

    public static CacheControlDirectives Of(HttpHeaders headers)
        => headers.NonValidated.TryGetValues(HeaderName, out var lines) ? Parse(lines) : None;

    public static CacheControlDirectives Parse(IEnumerable<string> lines)
    {
        var directives = new List<(string Name, string? Value)>();
        foreach (var line in lines)
        {
            var start = 0;
            var quoted = false;
            for (var i = 0; i <= line.Length; i++)
            {
                if (i == line.Length || (line[i] == ',' && !quoted))
                {
                    Add(directives, line.AsSpan(start, i - start));
                    start = i + 1;
                }
                else if (line[i] == '"')
                {
                    quoted = !quoted;
                }
                else if (line[i] == '\\' && quoted)
                {
                    i++;
                }
            }
        }

        return new CacheControlDirectives(directives);
    }

    /// <summary>Returns whether the directive is present, in any form (<c>private</c> and <c>private="Set-Cookie"</c> alike).</summary>
    public bool Has(string name) => _directives.Exists(d => d.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Returns whether the directive is present, with its first occurrence's value (RFC 9111 §4.2.1: with duplicates,
    /// the first is used), unquoted; the value is <see langword="null"/> when the directive has none or a malformed one.
    /// </summary>
    public bool TryGetFirst(string name, out string? value)
    {
        foreach (var directive in _directives)
        {
            if (directive.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = directive.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    // A name with white space before its '=' or a value with white space after it is malformed: it keeps its name, so
    // that a directive that forbids is never missed, but has no readable value.
    private static void Add(List<(string Name, string? Value)> directives, ReadOnlySpan<char> element)
    {
        element = element.Trim(" \t");
        if (element.IsEmpty)
        {
            return;
        }

        var equals = element.IndexOf('=');
        if (equals < 0)
        {
            directives.Add((element.ToString(), null));
            return;
        }

        var name = element[..equals];
        var value = element[(equals + 1)..];
        var malformed = name.Length != name.TrimEnd(" \t").Length || (value.Length > 0 && value[0] is ' ' or '\t');
        directives.Add((name.Trim(" \t").ToString(), malformed ? null : Unquote(value)));
    }

    private static string Unquote(ReadOnlySpan<char> value)
    {
        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            return value.ToString();
        }

        var text = new System.Text.StringBuilder(value.Length - 2);
        for (var i = 1; i < value.Length - 1; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length - 1)
            {
                i++;
            }

            text.Append(value[i]);
        }

        return text.ToString();
    }
}
