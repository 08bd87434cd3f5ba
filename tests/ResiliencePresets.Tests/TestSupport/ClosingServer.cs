using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A bare HTTP/1.1 server on loopback that reads each request (head and body) and then closes the connection without
/// sending a response byte: cleanly (FIN), as a server closing an idle connection does, or with a reset (RST).
/// </summary>
public sealed class ClosingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _reset;

    public ClosingServer(bool reset = false)
    {
        _reset = reset;
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Gets the head of every request received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ReadThenCloseAsync(socket);
        }
    }

    private async Task ReadThenCloseAsync(Socket socket)
    {
        using (socket)
        {
            var received = new StringBuilder();
            var buffer = new byte[8192];
            int headEnd;
            while ((headEnd = received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var head = received.ToString(0, headEnd);
            var bodyLength = ContentLength(head);
            while (received.Length < headEnd + 4 + bodyLength)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            Requests.Enqueue(head);
            if (_reset)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line.AsSpan("Content-Length:".Length).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
