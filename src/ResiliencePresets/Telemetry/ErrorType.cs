using System.Text;
using Polly.Timeout;

namespace ResiliencePresets;

/// <summary>
/// The <c>error.type</c> of a failed attempt, in the words .NET's own <c>http.client.request.duration</c> uses, so that
/// retries can be charted by cause next to HttpClient's metrics: the status code (<c>503</c>), <c>timeout</c> for an
/// attempt timeout, the <see cref="HttpRequestError"/> in snake case (<c>connection_error</c>), or the exception's
/// full type name.
/// </summary>
internal static class ErrorType
{
    public const string TagName = "error.type";

    public static string Of(Exception exception) => exception switch
    {
        TimeoutRejectedException => "timeout",
        HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http => SnakeCase(http.HttpRequestError.ToString()),
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
