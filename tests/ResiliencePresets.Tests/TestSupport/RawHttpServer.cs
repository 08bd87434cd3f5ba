using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A bare HTTP/1.1 server on loopback, one request per connection: it reads each request's head and body as they come
/// over the wire and leaves the answer, byte by byte, to the derived server.
/// </summary>
public abstract class RawHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    protected RawHttpServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    protected CancellationToken Stopping => _stop.Token;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Gets a value indicating whether the server waits for the body before answering; when false it answers as soon as the head arrived.</summary>
    protected virtual bool WaitsForBody => true;

    /// <summary>Answers one request; <paramref name="complete"/> tells whether its whole body arrived.</summary>
    protected abstract Task RespondAsync(Socket socket, string head, bool complete);

    protected static async Task SendAsync(Socket socket, string text)
        => await socket.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None);

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
                var length = headEnd + 4 + ContentLength(head);
                while (WaitsForBody && received.Length < length)
                {
                    var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                    if (read == 0)
                    {
                        break;
                    }

                    received.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await RespondAsync(socket, head, complete: received.Length >= length);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client gave up or the server is stopping.
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
