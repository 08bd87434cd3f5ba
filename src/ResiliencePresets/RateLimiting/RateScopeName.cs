namespace ResiliencePresets;

/// <summary>
/// The name of the limit a response says it applies: GitHub's <c>x-ratelimit-resource</c> (<c>core</c>, <c>search</c>,
/// <c>graphql</c>: separate limits), else the policy name of the IETF <c>RateLimit</c> field's deciding quota
/// (<c>"default"</c> in <c>RateLimit: "default";r=0;t=30</c>).
/// </summary>
/// <remarks>
/// A name is 1 to 64 characters of ASCII letters, digits, <c>.</c>, <c>_</c> and <c>-</c>, compared as sent (ordinal);
/// anything else, and a second <c>x-ratelimit-resource</c> value, is ignored, so that the response counts for the
/// client's own scope. A <c>RateLimit-Policy</c> field names the same policies without a remaining count: it changes
/// nothing here.
/// </remarks>
internal static class RateScopeName
{
    internal const string GitHubResource = "x-ratelimit-resource";

    internal const int MaxLength = 64;

    private static readonly System.Buffers.SearchValues<char> Allowed =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>Returns the limit the response names, or <see langword="null"/> when it names none that is valid.</summary>
    public static string? Read(HttpResponseMessage response, in QuotaReading? quota)
    {
        if (response.Headers.NonValidated.TryGetValues(GitHubResource, out var values))
        {
            var name = values.Count == 1 ? values.ToString().Trim() : null;
            return IsValid(name) ? name : null;
        }

        return quota is { Policy: string policy } && IsValid(policy) ? policy : null;
    }

    /// <summary>Returns whether a name is short and plain enough to name a scope.</summary>
    public static bool IsValid(string? name)
        => name is { Length: > 0 and <= MaxLength } && !name.AsSpan().ContainsAnyExcept(Allowed);
}
