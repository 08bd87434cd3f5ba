using System.Net.Sockets;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A bare HTTP/1.1 server on loopback that reads each request (head and body), counts it, and then answers with one
/// transport fault, written byte by byte as it goes over the wire.
/// </summary>
public sealed class FaultyServer(ServerFault fault) : RawHttpServer
{
    private int _requests;

    /// <summary>Gets the number of complete requests received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    protected override async Task RespondAsync(Socket socket, string head, bool complete)
    {
        // One request per connection: every fault leaves the connection unusable.
        if (!complete)
        {
            return;
        }

        Interlocked.Increment(ref _requests);
        switch (fault)
        {
            case ServerFault.HalfStatusLine:
                await SendAsync(socket, "HTTP/1.1 2");
                break;
            case ServerFault.MalformedChunkedBody:
                await SendAsync(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot a chunk\r\n0\r\n\r\n");
                break;
            case ServerFault.TruncatedChunkedBody:
                await SendAsync(socket, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
                break;
            case ServerFault.NeverAnswers:
                await Task.Delay(Timeout.Infinite, Stopping);
                break;
            case ServerFault.StallsInTheBody:
                await SendAsync(socket, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
                await Task.Delay(Timeout.Infinite, Stopping);
                break;
        }

        socket.Shutdown(SocketShutdown.Both);
    }
}
