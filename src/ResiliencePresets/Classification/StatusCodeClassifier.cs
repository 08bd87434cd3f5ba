using System.Collections.ObjectModel;
using System.Net;

namespace ResiliencePresets;

/// <summary>
/// The status-code table: decides from a response alone whether its status code is worth retrying.
/// </summary>
/// <remarks>
/// <para>The default table (<see cref="DefaultRules"/>): 408, 429, 503 and 504 retry; 500 at most once and 502 at most
/// twice, because the server may already have acted; 501, 505, 506, 510 and 511 never. A status code the table does not
/// list follows its class: any other 4xx never retries, any other 5xx retries at most once, anything else never.</para>
/// <para>Before the table, the server's own verdict is read: <c>x-should-retry: true|false</c> (OpenAI) and
/// <c>Stripe-Should-Retry: true|false</c> (Stripe) win over it for error responses (400 and above); on any other
/// response they are ignored. A 403 that says the caller's rate limit is used up
/// (<c>X-RateLimit-Remaining: 0</c>, <c>RateLimit-Remaining: 0</c> or a <c>RateLimit</c> field with <c>r=0</c>, as GitHub
/// sends), or that names a wait (<c>Retry-After</c>, <c>retry-after-ms</c> or <c>x-ms-retry-after-ms</c> with a positive
/// value or an HTTP-date, as GitHub's secondary rate limit sends), is classified as a 429. Whether a request may be retried at all also depends on its method; that rule is
/// applied by the preset, never overridden here.</para>
/// <para>Public for use outside a pipeline: <see cref="Default"/>'s <see cref="Classify(HttpResponseMessage)"/> answers, for any response,
/// what the default table says. A preset's own table is changed through <see cref="ResiliencePresetOptions.StatusCodes"/>.</para>
/// </remarks>
public sealed class StatusCodeClassifier
{
    private const int TableSize = 600;
    internal const string OpenAiVerdictHeader = "x-should-retry";
    internal const string StripeVerdictHeader = "Stripe-Should-Retry";

    private readonly StatusCodeRule[] _table;

    /// <summary>
    /// Initializes a new instance of the <see cref="StatusCodeClassifier"/> class: the default table with
    /// <paramref name="overrides"/> applied on top. Internal: a preset's table is changed through
    /// <see cref="ResiliencePresetOptions.StatusCodes"/>, so a classifier built by hand could never be given to one.
    /// </summary>
    /// <param name="overrides">Rules for single status codes (100 to 599) that replace the default table's; may be <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A status code in <paramref name="overrides"/> is not between 100 and 599.</exception>
    internal StatusCodeClassifier(IEnumerable<KeyValuePair<int, StatusCodeRule>>? overrides = null)
    {
        _table = new StatusCodeRule[TableSize];
        for (var code = 100; code < TableSize; code++)
        {
            _table[code] = DefaultRuleFor(code);
        }

        foreach (var (code, rule) in overrides ?? [])
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(code, 100, nameof(overrides));
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(code, TableSize, nameof(overrides));
            _table[code] = rule;
        }
    }

    /// <summary>
    /// Gets the status codes the default table lists explicitly, with their rules.
    /// </summary>
    public static IReadOnlyDictionary<int, StatusCodeRule> DefaultRules { get; } = new ReadOnlyDictionary<int, StatusCodeRule>(
        new Dictionary<int, StatusCodeRule>
        {
            [400] = StatusCodeRule.Never,
            [401] = StatusCodeRule.Never,
            [403] = StatusCodeRule.Never,
            [404] = StatusCodeRule.Never,
            [405] = StatusCodeRule.Never,
            [408] = StatusCodeRule.Retry,
            [410] = StatusCodeRule.Never,
            [422] = StatusCodeRule.Never,
            [429] = StatusCodeRule.Retry,
            [500] = StatusCodeRule.RetryAtMost(1),
            [501] = StatusCodeRule.Never,
            [502] = StatusCodeRule.RetryAtMost(2),
            [503] = StatusCodeRule.Retry,
            [504] = StatusCodeRule.Retry,
            [505] = StatusCodeRule.Never,
            [506] = StatusCodeRule.Never,
            [510] = StatusCodeRule.Never,
            [511] = StatusCodeRule.Never,
        });

    /// <summary>
    /// Gets the classifier with the default table and no overrides.
    /// </summary>
    public static StatusCodeClassifier Default { get; } = new();

    /// <summary>
    /// Gets the table's rule for a status code, without reading any header.
    /// </summary>
    /// <param name="statusCode">The status code.</param>
    /// <returns>The rule; <see cref="StatusCodeRule.Never"/> for a number outside 100 to 599.</returns>
    public StatusCodeRule GetRule(int statusCode)
        => statusCode is >= 100 and < TableSize ? _table[statusCode] : StatusCodeRule.Never;

    /// <summary>
    /// Classifies a response: the server's explicit verdict when it sent one with an error status, otherwise the table's rule for its status
    /// code, with a rate-limited 403 read as a 429.
    /// </summary>
    /// <param name="response">The response.</param>
    /// <returns>The rule that applies to this response.</returns>
    public StatusCodeRule Classify(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return (int)response.StatusCode < 400 ? GetRule((int)response.StatusCode) : Classify(ServerVerdict(response), EffectiveStatusCode(response));
    }

    /// <summary>
    /// Classifies a response already read: the server's explicit verdict, when it sent one with an error status, wins
    /// over the table's rule for the effective status code.
    /// </summary>
    internal StatusCodeRule Classify(bool? serverVerdict, int effectiveStatusCode) => serverVerdict switch
    {
        true => StatusCodeRule.Retry,
        false => StatusCodeRule.Never,
        _ => GetRule(effectiveStatusCode),
    };

    /// <summary>
    /// Reads the server's own verdict, <c>x-should-retry</c> first, then <c>Stripe-Should-Retry</c>. A verdict only
    /// speaks about a failure: below 400 there is none, whatever the headers say.
    /// </summary>
    internal static bool? ServerVerdict(HttpResponseMessage response)
        => (int)response.StatusCode < 400 ? null : ReadVerdict(response, OpenAiVerdictHeader) ?? ReadVerdict(response, StripeVerdictHeader);

    /// <summary>
    /// Returns the status code the table is consulted with: 429 for a 403 that reports an exhausted rate limit or names
    /// a wait (GitHub's secondary rate limit), and for a 503 nginx wrote itself (<see cref="NginxRefusal"/>: the status
    /// its <c>limit_req</c> refuses with by default).
    /// </summary>
    internal static int EffectiveStatusCode(HttpResponseMessage response) => response.StatusCode switch
    {
        HttpStatusCode.Forbidden when RateLimitHeaders.IsExhausted(response) || RetryAfterReader.NamesExplicitWait(response.Headers.NonValidated)
            => (int)HttpStatusCode.TooManyRequests,
        HttpStatusCode.ServiceUnavailable when NginxRefusal.Is(response) => (int)HttpStatusCode.TooManyRequests,
        var status => (int)status,
    };

    private static StatusCodeRule DefaultRuleFor(int code)
    {
        if (DefaultRules.TryGetValue(code, out var rule))
        {
            return rule;
        }

        return code switch
        {
            >= 500 => StatusCodeRule.RetryAtMost(1),
            _ => StatusCodeRule.Never,
        };
    }

    private static bool? ReadVerdict(HttpResponseMessage response, string header)
    {
        if (!response.Headers.NonValidated.TryGetValues(header, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            if (bool.TryParse(value.AsSpan().Trim(), out var verdict))
            {
                return verdict;
            }
        }

        return null;
    }
}
