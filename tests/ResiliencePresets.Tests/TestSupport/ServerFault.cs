namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// How <see cref="FaultyServer"/> answers every request it has read.
/// </summary>
public enum ServerFault
{
    /// <summary>Sends half a status line (<c>HTTP/1.1 2</c>), then closes the connection cleanly.</summary>
    HalfStatusLine,

    /// <summary>Sends a complete 200 head with <c>Transfer-Encoding: chunked</c>, then a chunk size that is not hex, then closes.</summary>
    MalformedChunkedBody,

    /// <summary>Sends a 200 head and one valid chunk, then closes before the last chunk.</summary>
    TruncatedChunkedBody,

    /// <summary>Reads the request and never answers; the connection stays open until the server is disposed.</summary>
    NeverAnswers,

    /// <summary>Sends a 200 head with <c>Content-Length: 100</c> and 10 bytes of the body, then stalls with the connection open.</summary>
    StallsInTheBody,
}
