namespace ResiliencePresets;

/// <summary>
/// Makes the message a hedge sends: HttpClient's handlers may not be given one message for two sends at once, so each
/// hedge gets its own copy of the method, URL, version, headers and options. Only requests without a body are hedged
/// (<see cref="HedgeGate"/>), so there is no body to share.
/// </summary>
internal static class HedgedRequest
{
    public static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };

        foreach (var header in request.Headers.NonValidated)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }
}
