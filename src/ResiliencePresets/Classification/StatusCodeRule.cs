using System.Globalization;

namespace ResiliencePresets;

/// <summary>
/// What the status-code table says about one HTTP status code: retry it, retry it a limited number of times, or never retry it.
/// </summary>
/// <remarks>
/// In configuration a rule is written as <c>Retry</c>, <c>Never</c> or <c>Retry(N)</c> (at most N retries caused by this status
/// code within one request). The default value of this type is <see cref="Never"/>.
/// </remarks>
public readonly record struct StatusCodeRule
{
    private StatusCodeRule(bool isRetry, int? maxRetries)
    {
        IsRetry = isRetry;
        MaxRetries = maxRetries;
    }

    /// <summary>
    /// Gets the rule that retries a status code for as long as the preset's <c>Retry:MaxRetryAttempts</c> allows.
    /// </summary>
    public static StatusCodeRule Retry { get; } = new(true, null);

    /// <summary>
    /// Gets the rule that never retries a status code.
    /// </summary>
    public static StatusCodeRule Never { get; }

    /// <summary>
    /// Gets a value indicating whether the status code may be retried.
    /// </summary>
    public bool IsRetry { get; }

    /// <summary>
    /// Gets the most retries this status code may cause within one request, or <see langword="null"/> when only
    /// <c>Retry:MaxRetryAttempts</c> limits them.
    /// </summary>
    public int? MaxRetries { get; }

    /// <summary>
    /// Creates a rule that retries a status code at most <paramref name="maxRetries"/> times within one request.
    /// </summary>
    /// <param name="maxRetries">The most retries; at least 1.</param>
    /// <returns>The rule.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRetries"/> is less than 1.</exception>
    public static StatusCodeRule RetryAtMost(int maxRetries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRetries, 1);
        return new StatusCodeRule(true, maxRetries);
    }

    /// <summary>
    /// Reads a rule written as <c>Retry</c>, <c>Never</c> or <c>Retry(N)</c>, ignoring case and surrounding white space.
    /// </summary>
    /// <param name="text">The text to read.</param>
    /// <param name="rule">The rule read, or <see cref="Never"/> when the text is not a rule.</param>
    /// <returns><see langword="true"/> when <paramref name="text"/> is a rule.</returns>
    public static bool TryParse(string? text, out StatusCodeRule rule)
    {
        rule = Never;
        var span = text.AsSpan().Trim();
        if (span.Equals("Never", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (span.Equals("Retry", StringComparison.OrdinalIgnoreCase))
        {
            rule = Retry;
            return true;
        }

        if (span.StartsWith("Retry(", StringComparison.OrdinalIgnoreCase) && span.EndsWith(")") &&
            int.TryParse(span["Retry(".Length..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1)
        {
            rule = new StatusCodeRule(true, max);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Returns the rule as it is written in configuration: <c>Retry</c>, <c>Never</c> or <c>Retry(N)</c>.
    /// </summary>
    /// <returns>The rule's configuration text.</returns>
    public override string ToString() => !IsRetry
        ? "Never"
        : MaxRetries is int max ? string.Create(CultureInfo.InvariantCulture, $"Retry({max})") : "Retry";
}
