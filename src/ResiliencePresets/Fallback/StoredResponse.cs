using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ResiliencePresets;

/// <summary>
/// A kept response as it is stored: status, version, headers (hop-by-hop headers, <c>Set-Cookie</c> and <c>Age</c> left
/// out), the body, when it arrived and on what terms (<see cref="StaleTerms"/>), and the digest of the request headers
/// it varies on. It is written to bytes for <c>HybridCache</c>; bytes that do not read back (another version's, a
/// damaged distributed cache entry) are a miss, never an error.
/// </summary>
internal sealed class StoredResponse
{
    private const byte FormatVersion = 1;

    // RFC 9110 §7.6.1 and RFC 9111 §3.1: connection-specific fields are not stored; Set-Cookie is not replayed into a
    // session that may have moved on; Age is computed again when the response answers.
    private static readonly HashSet<string> Unstored = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Set-Cookie", "Age",
    };

    public required int StatusCode { get; init; }

    public required string? ReasonPhrase { get; init; }

    public required Version Version { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string[]>> Headers { get; init; }

    public required IReadOnlyList<KeyValuePair<string, string[]>> ContentHeaders { get; init; }

    public required byte[] Body { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required StaleTerms Terms { get; init; }

    public required string VaryHash { get; init; }

    /// <summary>
    /// Takes what is kept of a response's status and headers; the body follows once it has been read. The
    /// <c>Content-Length</c> of a GET is left to the stored body; a HEAD keeps it, as it has no body to count.
    /// </summary>
    public static StoredResponse Snapshot(HttpResponseMessage response, bool isHead, DateTimeOffset receivedAt, StaleTerms terms, string varyHash) => new()
    {
        StatusCode = (int)response.StatusCode,
        ReasonPhrase = response.ReasonPhrase,
        Version = response.Version,
        Headers = Kept(response.Headers.NonValidated),
        ContentHeaders = Kept(response.Content.Headers.NonValidated, dropContentLength: !isHead),
        Body = [],
        ReceivedAt = receivedAt,
        Terms = terms,
        VaryHash = varyHash,
    };

    public StoredResponse WithBody(byte[] body) => new()
    {
        StatusCode = StatusCode,
        ReasonPhrase = ReasonPhrase,
        Version = Version,
        Headers = Headers,
        ContentHeaders = ContentHeaders,
        Body = body,
        ReceivedAt = ReceivedAt,
        Terms = Terms,
        VaryHash = VaryHash,
    };

    /// <summary>Gets the response's age at <paramref name="now"/> (RFC 9111 §4.2.3): the age it arrived with plus the time since.</summary>
    public TimeSpan AgeAt(DateTimeOffset now) => Terms.InitialAge + (now > ReceivedAt ? now - ReceivedAt : TimeSpan.Zero);

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream(Body.Length + 512);
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(StatusCode);
            writer.Write(ReasonPhrase ?? string.Empty);
            writer.Write(Version.Major);
            writer.Write(Version.Minor);
            WriteHeaders(writer, Headers);
            WriteHeaders(writer, ContentHeaders);
            writer.Write(ReceivedAt.UtcTicks);
            writer.Write(Terms.Lifetime.Ticks);
            writer.Write(Terms.ServerGrant?.Ticks ?? -1);
            writer.Write(Terms.InitialAge.Ticks);
            writer.Write(Terms.VaryNames.Length);
            foreach (var name in Terms.VaryNames)
            {
                writer.Write(name);
            }

            writer.Write(VaryHash);
            writer.Write(Body.Length);
            writer.Write(Body);
        }

        return buffer.ToArray();
    }

    public static StoredResponse? FromBytes(byte[]? bytes)
    {
        if (bytes is null || bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            if (reader.ReadByte() != FormatVersion)
            {
                return null;
            }

            var status = reader.ReadInt32();
            var reason = reader.ReadString();
            var version = new Version(reader.ReadInt32(), reader.ReadInt32());
            var headers = ReadHeaders(reader);
            var contentHeaders = ReadHeaders(reader);
            var receivedAt = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var lifetime = TimeSpan.FromTicks(reader.ReadInt64());
            var grant = reader.ReadInt64();
            var initialAge = TimeSpan.FromTicks(reader.ReadInt64());
            var varyNames = new string[Count(reader)];
            for (var i = 0; i < varyNames.Length; i++)
            {
                varyNames[i] = reader.ReadString();
            }

            var varyHash = reader.ReadString();
            var body = reader.ReadBytes(Count(reader));
            if (reader.BaseStream.Position != bytes.Length)
            {
                return null;
            }

            return new StoredResponse
            {
                StatusCode = status,
                ReasonPhrase = reason.Length == 0 ? null : reason,
                Version = version,
                Headers = headers,
                ContentHeaders = contentHeaders,
                Body = body,
                ReceivedAt = receivedAt,
                Terms = new StaleTerms(lifetime, grant < 0 ? null : TimeSpan.FromTicks(grant), initialAge, varyNames),
                VaryHash = varyHash,
            };
        }
#pragma warning disable CA1031 // Whatever a damaged entry throws, it is a miss.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>Builds the response that answers <paramref name="request"/>, its body and headers as they were kept.</summary>
    public HttpResponseMessage ToResponse(HttpRequestMessage request)
    {
        var response = new HttpResponseMessage((HttpStatusCode)StatusCode)
        {
            ReasonPhrase = ReasonPhrase,
            Version = Version,
            RequestMessage = request,
            Content = new ByteArrayContent(Body),
        };
        foreach (var (name, values) in Headers)
        {
            response.Headers.TryAddWithoutValidation(name, values);
        }

        foreach (var (name, values) in ContentHeaders)
        {
            response.Content.Headers.TryAddWithoutValidation(name, values);
        }

        // A HEAD has no body to count: a Content-Length it arrived without is not made up as 0.
        if (request.Method == HttpMethod.Head && !response.Content.Headers.NonValidated.Contains("Content-Length"))
        {
            response.Content.Headers.ContentLength = null;
        }

        return response;
    }

    private static List<KeyValuePair<string, string[]>> Kept(HttpHeadersNonValidated headers, bool dropContentLength = false)
    {
        var kept = new List<KeyValuePair<string, string[]>>();
        foreach (var (name, values) in headers)
        {
            if (!Unstored.Contains(name) && !(dropContentLength && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                kept.Add(new(name, [.. values]));
            }
        }

        return kept;
    }

    // A count can never exceed the bytes left; a damaged one fails here instead of allocating.
    private static int Count(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        return count >= 0 && count <= reader.BaseStream.Length - reader.BaseStream.Position
            ? count
            : throw new InvalidDataException("A count in a stored response is out of range.");
    }

    private static void WriteHeaders(BinaryWriter writer, IReadOnlyList<KeyValuePair<string, string[]>> headers)
    {
        writer.Write(headers.Count);
        foreach (var (name, values) in headers)
        {
            writer.Write(name);
            writer.Write(values.Length);
            foreach (var value in values)
            {
                writer.Write(value);
            }
        }
    }

    private static List<KeyValuePair<string, string[]>> ReadHeaders(BinaryReader reader)
    {
        var count = Count(reader);
        var headers = new List<KeyValuePair<string, string[]>>(count);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var values = new string[Count(reader)];
            for (var j = 0; j < values.Length; j++)
            {
                values[j] = reader.ReadString();
            }

            headers.Add(new(name, values));
        }

        return headers;
    }
}
