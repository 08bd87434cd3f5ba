using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace ResiliencePresets;

/// <summary>
/// Which kept response answers a request. The key is a SHA-256 digest of the client's name, the method, the URL (query
/// included, fragment and user info left out) and every request header that may say who the caller is, so that two
/// callers never share an entry, and no URL or header value is written into a key, a log or a distributed cache's key
/// space. The headers are those the request carries when it reaches the preset's handler (a handler added after it is
/// not seen). A response that varies (<c>Vary</c>) is matched again on the values of the headers it names, through
/// <see cref="VaryHash"/>.
/// </summary>
/// <remarks>
/// A caller is named by more than <c>Authorization</c>, <c>Proxy-Authorization</c> and <c>Cookie</c>: APIs take keys
/// in headers of their own (<c>X-Api-Key</c>, Azure's <c>api-key</c>, Google's <c>X-Goog-Api-Key</c>, a tenant
/// header), and no list of those is ever complete. So every header is part of the key except the ones that cannot name
/// a caller (<see cref="IsCallerNeutral"/>): content negotiation, conditions and connection management (RFC 9110,
/// the same for every caller of a client, and what <c>Vary</c> governs), and the headers that name one request rather
/// than its caller (trace context, request ids, the idempotency key), which would otherwise make every request a key of
/// its own. A header wrongly in the key costs a stale answer; a header wrongly out of it would give one caller's
/// response to another.
/// </remarks>
internal static class StaleCacheKey
{
    public const string Prefix = "resiliencepresets:stale:";

    private static readonly FrozenSet<string> CallerNeutralHeaders = new[]
    {
        // Content negotiation, conditions and connection management (RFC 9110): the same for every caller.
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Cache-Control", "Pragma", "User-Agent",
        "If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range", "Range",
        "Connection", "Keep-Alive", "Host", "Expect", "TE", "Upgrade", "Via", "Max-Forwards", "Priority",

        // One request's identity, never its caller's: trace context, request ids, the SDKs' per-request ids and dates.
        "traceparent", "tracestate", "Request-Id", "X-Request-Id", "X-Correlation-Id", "X-Amzn-Trace-Id",
        "X-Cloud-Trace-Context", "b3", "X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags",
        "uber-trace-id", "sentry-trace", "x-ms-client-request-id", "Date", "x-ms-date", "X-Amz-Date",
        "amz-sdk-invocation-id", "amz-sdk-request",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Returns the key of the request's kept response.</summary>
    /// <param name="clientName">The client's name.</param>
    /// <param name="request">The request, with the headers it has when it reaches the preset's handler.</param>
    /// <param name="idempotencyHeader">The preset's idempotency key header: a key names one request, not its caller.</param>
    public static string For(string clientName, HttpRequestMessage request, string idempotencyHeader)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, "v2");
        Append(hash, clientName);
        Append(hash, request.Method.Method);
        Append(hash, request.RequestUri!.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped));

        // By name, without case, so that neither the order the caller added its headers in nor their case moves the key.
        List<(string Name, string Values)>? callerHeaders = null;
        foreach (var (name, values) in request.Headers.NonValidated)
        {
            if (!IsCallerNeutral(name) && !name.Equals(idempotencyHeader, StringComparison.OrdinalIgnoreCase))
            {
                (callerHeaders ??= []).Add((name.ToLowerInvariant(), string.Join('\n', values)));
            }
        }

        if (callerHeaders is not null)
        {
            callerHeaders.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            foreach (var (name, values) in callerHeaders)
            {
                Append(hash, name);
                Append(hash, values);
            }
        }

        return Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Returns whether a request header cannot say who the caller is, and so is left out of the key.</summary>
    public static bool IsCallerNeutral(string name) => CallerNeutralHeaders.Contains(name);

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
