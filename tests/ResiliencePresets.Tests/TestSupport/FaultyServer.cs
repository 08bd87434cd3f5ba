using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A bare HTTP/1.1 server on loopback that reads each request (head and body), counts it, and then answers with one
/// transport fault, written byte by byte as it goes over the wire.
/// </summary>
public sealed class FaultyServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ServerFault _fault;
    private int _requests;

    public FaultyServer(ServerFault fault)
    {
        _fault = fault;
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Gets the number of complete requests received.</summary>
    public int Requests => Volatile.Read(ref _requests);

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

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                // One request per connection: every fault leaves the connection unusable.
                if (!await ReadRequestAsync(socket))
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                switch (_fault)
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
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        break;
                }

                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client gave up or the server is stopping.
            }
        }
    }

    private static async Task SendAsync(Socket socket, string text)
        => await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

    private static async Task<bool> ReadRequestAsync(Socket socket)
    {
        var received = new StringBuilder();
        var buffer = new byte[8192];
        int headEnd;
        while ((headEnd = received.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (read == 0)
            {
                return false;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var bodyLength = ContentLength(received.ToString(0, headEnd));
        while (received.Length < headEnd + 4 + bodyLength)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (read == 0)
            {
                return false;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return true;
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
