using System.Collections.Concurrent;
using System.Net.Sockets;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A bare HTTP/1.1 server on loopback that reads each request (head and body) and then closes the connection without
/// sending a response byte: cleanly (FIN), as a server closing an idle connection does, or with a reset (RST). With
/// <c>beforeBody</c>, it closes as soon as the head has arrived, without waiting for a body (as a server does that
/// refuses a request sent with <c>Expect: 100-continue</c> by closing). One request per connection.
/// </summary>
public sealed class ClosingServer(bool reset = false, bool beforeBody = false) : RawHttpServer
{
    private int _completeRequests;

    /// <summary>Gets the head of every request received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Gets the number of requests whose whole body arrived before the server closed.</summary>
    public int CompleteRequests => Volatile.Read(ref _completeRequests);

    protected override bool WaitsForBody => !beforeBody;

    /// <summary>The values of every <paramref name="name"/> line of a request head, one per line, as they went over the wire.</summary>
    public static IReadOnlyList<string> HeaderValues(string head, string name)
        => head.Split("\r\n")
            .Where(line => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
            .Select(line => line[(name.Length + 1)..].Trim(' ', '\t'))
            .ToList();

    protected override Task RespondAsync(Socket socket, string head, bool complete)
    {
        Requests.Enqueue(head);
        if (complete)
        {
            Interlocked.Increment(ref _completeRequests);
        }

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
