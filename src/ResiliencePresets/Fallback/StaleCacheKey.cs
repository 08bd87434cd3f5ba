using System.Security.Cryptography;
using System.Text;

namespace ResiliencePresets;

/// <summary>
/// Which kept response answers a request. The key is a SHA-256 digest of the client's name, the method, the URL (query
/// included, fragment and user info left out) and the caller's credentials (<c>Authorization</c>,
/// <c>Proxy-Authorization</c>, <c>Cookie</c>), so that two callers never share an entry, and no URL or header value is
/// written into a key, a log or a distributed cache's key space. The headers are those the request carries when it
/// reaches the preset's handler (a handler added after it is not seen). A response that varies (<c>Vary</c>) is matched
/// again on the values of the headers it names, through <see cref="VaryHash"/>.
/// </summary>
internal static class StaleCacheKey
{
    public const string Prefix = "resiliencepresets:stale:";

    private static readonly string[] CallerHeaders = ["Authorization", "Proxy-Authorization", "Cookie"];

    public static string For(string clientName, HttpRequestMessage request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, "v1");
        Append(hash, clientName);
        Append(hash, request.Method.Method);
        Append(hash, request.RequestUri!.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped));
        foreach (var name in CallerHeaders)
        {
            Append(hash, HeaderValues(request, name));
        }

        return Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A digest of the request's values of the headers a response varies on; empty when it varies on none.</summary>
    public static string VaryHash(HttpRequestMessage request, IReadOnlyList<string> names)
    {
        if (names.Count == 0)
        {
            return string.Empty;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in names)
        {
            Append(hash, name);
            Append(hash, HeaderValues(request, name));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // A header that is absent and one that is empty differ: null is written as a distinct marker.
    private static string? HeaderValues(HttpRequestMessage request, string name)
        => request.Headers.NonValidated.TryGetValues(name, out var values) ? string.Join('\n', values) : null;

    // Each part is written with its length first, so that no two lists of parts give the same bytes.
    private static void Append(IncrementalHash hash, string? text)
    {
        Span<byte> length = stackalloc byte[5];
        if (text is null)
        {
            length[0] = 0;
            hash.AppendData(length[..1]);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        length[0] = 1;
        BitConverter.TryWriteBytes(length[1..], bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
