using System.Diagnostics;
using System.Text.Json;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// The simulation's side of one instance: this program started again in <c>--instance</c> mode, as a process of its
/// own, told when to go, and read for its report. Disposing kills it if it is still running.
/// </summary>
public sealed class InstanceProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private InstanceProcess(Process process) => _process = process;

    /// <summary>Starts an instance and returns once it is ready to go.</summary>
    public static async Task<InstanceProcess> StartAsync(InstanceArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var assembly = typeof(InstanceProcess).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments.ToArguments())
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        var instance = new InstanceProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
        instance._process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"instance {instance._process.Id}: {e.Data}");
            }
        };
        instance._process.BeginErrorReadLine();
        var line = await instance.ReadLineAsync(ReadyLimit);
        if (line != "ready")
        {
            await instance.DisposeAsync();
            throw new InvalidOperationException($"An instance answered \"{line}\" instead of ready.");
        }

        return instance;
    }

    /// <summary>Tells the instance to start its requests.</summary>
    public async Task GoAsync()
    {
        await _process.StandardInput.WriteLineAsync("go");
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for the instance's report, at most <paramref name="limit"/>.</summary>
    public async Task<InstanceReport> ReportAsync(TimeSpan limit)
    {
        var line = await ReadLineAsync(limit);
        return line.StartsWith(InstanceReport.Prefix, StringComparison.Ordinal)
            ? JsonSerializer.Deserialize<InstanceReport>(line[InstanceReport.Prefix.Length..]) ?? throw new InvalidOperationException("An instance reported null.")
            : throw new InvalidOperationException($"An instance answered \"{line}\" instead of its report.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private async Task<string> ReadLineAsync(TimeSpan limit)
        => await _process.StandardOutput.ReadLineAsync().WaitAsync(limit)
            ?? throw new InvalidOperationException($"An instance exited with {(_process.HasExited ? _process.ExitCode : "no code")}.");
}
