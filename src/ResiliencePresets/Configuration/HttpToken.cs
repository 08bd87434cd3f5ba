namespace ResiliencePresets;

/// <summary>
/// Checks names against the HTTP token grammar (RFC 9110 §5.6.2), used for header and method names.
/// </summary>
internal static class HttpToken
{
    public static bool IsValid(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A method is a token; a name made only of digits is rejected, as it is what a JSON array turns into in configuration.
    /// </summary>
    public static bool IsMethod(string? text) => IsValid(text) && !text!.All(char.IsAsciiDigit);
}
