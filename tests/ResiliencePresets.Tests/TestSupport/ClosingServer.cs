using System.Collections.Concurrent;
using System.Net.Sockets;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A bare HTTP/1.1 server on loopback that reads each request (head and body) and then closes the connection without
/// sending a response byte: cleanly (FIN), as a server closing an idle connection does, or with a reset (RST).
/// </summary>
public sealed class ClosingServer(bool reset = false) : RawHttpServer
{
    /// <summary>Gets the head of every request received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    protected override Task RespondAsync(Socket socket, string head, bool complete)
    {
        Requests.Enqueue(head);
        if (reset)
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        else
        {
            socket.Shutdown(SocketShutdown.Both);
        }

        return Task.CompletedTask;
    }
}
