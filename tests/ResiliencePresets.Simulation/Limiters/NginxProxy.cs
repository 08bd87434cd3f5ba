using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ResiliencePresets.Simulation.Limiters;

/// <summary>
/// A real nginx, run by this process as the current user on a free loopback port, with its configuration, pid file,
/// logs and temp paths in a temp directory of its own: a reverse proxy in front of <see cref="UnlimitedBackend"/>,
/// one location per limiter (<c>/l{index}/</c>), each with a <c>limit_req</c> zone of its own, so that two clients
/// never share a limit. Installed with <c>apt-get</c> when missing. Disposing stops it and deletes the directory.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly int _port;

    private NginxProxy(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _port = port;
    }

    /// <summary>Returns the base address of location <paramref name="index"/>, ending in a slash.</summary>
    public Uri BaseAddressOf(int index) => new($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}/l{index.ToString(CultureInfo.InvariantCulture)}/");

    /// <param name="locations">Each limiter and its rate in requests a second; location i is <c>/l{i}/</c>.</param>
    /// <param name="backendPort">The loopback port of the unlimited API.</param>
    public static async Task<NginxProxy> StartAsync(IReadOnlyList<(NginxVariant Variant, int Rate)> locations, int backendPort)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var nginx = await NginxBinary.LocateOrInstallAsync();
        var directory = Directory.CreateTempSubdirectory("resiliencepresets-nginx-").FullName;
        var port = FreePort();
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(locations, directory, port, backendPort));

        var start = new ProcessStartInfo(nginx)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-e", Path.Combine(directory, "error.log"), "-p", directory, "-c", config, "-g", "daemon off;"])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{nginx} did not start.");
        var proxy = new NginxProxy(process, directory, port);
        try
        {
            await proxy.WaitUntilListeningAsync();
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }

        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A worker may still hold a temp file for a moment; the directory is under the system's temp path.
        }
    }

    /// <summary>Writes the configuration: one zone and one location per limiter, refusals logged at info (not written).</summary>
    public static string Configuration(IReadOnlyList<(NginxVariant Variant, int Rate)> locations, string directory, int port, int backendPort)
    {
        ArgumentNullException.ThrowIfNull(locations);
        var text = new StringBuilder();
        void Line(string line) => text.Append(line).Append('\n');

        // As root, nginx would hand its workers to "nobody"; they run as the current user instead.
        if (Environment.UserName == "root")
        {
            Line("user root;");
        }

        Line("worker_processes 1;");
        Line($"pid {directory}/nginx.pid;");
        Line($"error_log {directory}/error.log warn;");
        Line("events { worker_connections 4096; }");
        Line("http {");
        Line("  access_log off;");
        foreach (var temp in (string[])["client_body", "proxy", "fastcgi", "uwsgi", "scgi"])
        {
            Line($"  {temp}_temp_path {directory}/{temp}_temp;");
        }

        Line($"  upstream backend {{ server 127.0.0.1:{backendPort.ToString(CultureInfo.InvariantCulture)}; keepalive 64; }}");
        Line("  limit_req_log_level info;");
        for (var i = 0; i < locations.Count; i++)
        {
            Line($"  limit_req_zone $binary_remote_addr zone=l{i}:1m rate={locations[i].Rate.ToString(CultureInfo.InvariantCulture)}r/s;");
        }

        Line("  server {");
        Line($"    listen 127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)};");
        for (var i = 0; i < locations.Count; i++)
        {
            var variant = locations[i].Variant;
            Line($"    location /l{i}/ {{");
            Line($"      limit_req zone=l{i}{(variant.Burst > 0 ? $" burst={variant.Burst.ToString(CultureInfo.InvariantCulture)} nodelay" : string.Empty)};");
            if (variant.Status is int status)
            {
                Line($"      limit_req_status {status.ToString(CultureInfo.InvariantCulture)};");
            }

            if (variant.RetryAfterSeconds is int seconds)
            {
                Line($"      error_page {variant.RefusalStatus.ToString(CultureInfo.InvariantCulture)} = @refused{i};");
            }

            Line("      proxy_pass http://backend/;");
            Line("      proxy_http_version 1.1;");
            Line("      proxy_set_header Connection \"\";");
            Line("    }");
            if (variant.RetryAfterSeconds is int wait)
            {
                Line($"    location @refused{i} {{");
                Line($"      add_header Retry-After {wait.ToString(CultureInfo.InvariantCulture)} always;");
                Line($"      return {variant.RefusalStatus.ToString(CultureInfo.InvariantCulture)};");
                Line("    }");
            }
        }

        Line("  }");
        Line("}");
        return text.ToString();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                var log = Path.Combine(_directory, "error.log");
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()} {(File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }
        }
    }
}
