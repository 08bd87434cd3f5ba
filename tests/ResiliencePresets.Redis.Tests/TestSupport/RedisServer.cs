using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ResiliencePresets.Redis.Tests.TestSupport;

/// <summary>
/// A redis-server of the test's own, on a free loopback port, without persistence; stopped (killed) and started again
/// on the same port when a test says, and killed when disposed. <c>.ci/run</c> installs redis-server when missing.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("resiliencepresets-redis-").FullName;
    private Process? _process;
    private ConnectionMultiplexer? _admin;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>Gets the StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port, empty, and returns once it answers.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(Executable())
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", "--dir", _directory, "--enable-debug-command", "local"])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await AnswersAsync())
        {
            if (deadline.Elapsed > StartLimit || _process.HasExited)
            {
                throw new InvalidOperationException($"redis-server did not start on port {Port}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Kills the server, as a crash or a lost network would, and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Gets the server's admin view (INFO, PUBSUB), through a connection of the test's own.</summary>
    public async Task<IServer> AdminAsync()
    {
        _admin ??= await ConnectionMultiplexer.ConnectAsync($"{Configuration},allowAdmin=true");
        return _admin.GetServer(Configuration);
    }

    /// <summary>Makes the server answer nothing for <paramref name="duration"/> (<c>DEBUG SLEEP</c>), as a stalled
    /// Redis does; the task ends when it answers again.</summary>
    public async Task<RedisResult> StallAsync(TimeSpan duration)
        => await (await AdminAsync()).ExecuteAsync("DEBUG", "SLEEP", duration.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Gets how many scripts the server has run (EVAL and EVALSHA), from its own statistics.</summary>
    public async Task<long> ScriptCallsAsync()
    {
        var stats = (await (await AdminAsync()).InfoAsync("commandstats")).SelectMany(g => g).ToList();
        long Calls(string command) => stats.FirstOrDefault(s => s.Key == $"cmdstat_{command}") is { Value: { } value }
            ? long.Parse(value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        return Calls("eval") + Calls("evalsha");
    }

    /// <summary>Gets how many times the server ran <paramref name="command"/> (lower case: <c>ping</c>), from its own statistics.</summary>
    public async Task<long> CommandCallsAsync(string command)
    {
        var stats = (await (await AdminAsync()).InfoAsync("commandstats")).SelectMany(g => g).ToList();
        return stats.FirstOrDefault(s => s.Key == $"cmdstat_{command}") is { Value: { } value }
            ? long.Parse(value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>Gets how many replies the server gave with the error <paramref name="code"/> (<c>NOPERM</c>), from its own statistics.</summary>
    public async Task<long> ErrorsAsync(string code)
    {
        var stats = (await (await AdminAsync()).InfoAsync("errorstats")).SelectMany(g => g).ToList();
        return stats.FirstOrDefault(s => s.Key == $"errorstat_{code}") is { Value: { } value }
            ? long.Parse(value["count=".Length..], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
    }

    /// <summary>Runs a command on the server through the test's admin connection (<c>ACL</c>, <c>SCRIPT FLUSH</c>, <c>CLIENT PAUSE</c>).</summary>
    public async Task<RedisResult> ExecuteAsync(string command, params object[] arguments)
        => await (await AdminAsync()).ExecuteAsync(command, arguments);

    /// <summary>Gets how many connections are subscribed to <paramref name="channel"/>.</summary>
    public async Task<long> SubscribersAsync(RedisChannel channel)
    {
        var result = await (await AdminAsync()).ExecuteAsync("PUBSUB", "NUMSUB", channel.ToString());
        return (long)((RedisResult[])result!)[1];
    }

    public async ValueTask DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }

        await StopAsync();
        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Executable()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/local/bin"))
        {
            var path = Path.Combine(directory, "redis-server");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("redis-server is not installed: apt-get install -y redis-server (.ci/run does this when it is missing).");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[7];
            var read = await stream.ReadAsync(buffer);
            return read > 0 && buffer[0] == (byte)'+';
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
