using System.Diagnostics;
using System.Text;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// Runs the <c>dotnet</c> command line (or another program, such as <c>git</c>) and returns its output; fails with that
/// output when it exits with an error.
/// </summary>
public static class DotnetCli
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static Task<string> Run(string workingDirectory, params string[] arguments) => RunProgram("dotnet", workingDirectory, arguments);

    public static async Task<string> RunProgram(string program, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {Limit}.");
        }

        output.Append(await stdout).Append(await stderr);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        }

        return output.ToString();
    }

    /// <summary>The repository root: the folder that holds ResiliencePresets.sln.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ResiliencePresets.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"No ResiliencePresets.sln above {AppContext.BaseDirectory}.");
    }
}
