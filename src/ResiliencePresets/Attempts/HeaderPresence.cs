using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// Which kinds of header a finished attempt's response carries, found in one pass over its header names: a wait or
/// quota header (<see cref="RetryAfterReader"/>'s), and the server's own retry verdict (<c>x-should-retry</c>,
/// <c>Stripe-Should-Retry</c>). A response with neither needs no header read at all.
/// </summary>
/// <param name="Wait">Whether a header names a wait or reports a quota.</param>
/// <param name="Verdict">Whether a header carries the server's retry verdict.</param>
internal readonly record struct HeaderPresence(bool Wait, bool Verdict)
{
    public static HeaderPresence Of(HttpHeadersNonValidated headers)
    {
        var (wait, verdict) = (false, false);
        if (headers.Count == 0)
        {
            return default;
        }

        foreach (var header in headers)
        {
            var name = header.Key;
            if (RetryAfterReader.IsWaitHeader(name))
            {
                wait = true;
            }
            else if (name.Equals(StatusCodeClassifier.OpenAiVerdictHeader, StringComparison.OrdinalIgnoreCase) || name.Equals(StatusCodeClassifier.StripeVerdictHeader, StringComparison.OrdinalIgnoreCase))
            {
                verdict = true;
            }
        }

        return new(wait, verdict);
    }
}
