using System.Diagnostics;
using System.Reflection;

namespace ResiliencePresets.Redis.Tests.TestSupport;

/// <summary>
/// A second process (tests/ResiliencePresets.Redis.Peer, built with the solution) with one preset client sharing
/// through Redis, driven one command line at a time.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    private PeerProcess(Process process) => _process = process;

    public static async Task<PeerProcess> StartAsync(params string[] arguments)
    {
        var assembly = typeof(PeerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PeerAssembly").Value!;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.GetFullPath(assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var peer = new PeerProcess(Process.Start(start)!);
        peer._process.ErrorDataReceived += (_, _) => { };
        peer._process.BeginErrorReadLine();
        Assert.Equal("ready", await peer.ReadLineAsync());
        return peer;
    }

    /// <summary>Sends one command and returns the peer's one-line answer.</summary>
    public async Task<string> SendAsync(string command)
    {
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        return await ReadLineAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("quit");
            await _process.StandardInput.FlushAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task<string> ReadLineAsync()
    {
        var line = await _process.StandardOutput.ReadLineAsync().WaitAsync(AnswerLimit);
        return line ?? throw new InvalidOperationException($"The peer exited with {(_process.HasExited ? _process.ExitCode : "no code")}.");
    }
}
