using System.Diagnostics;

namespace ResiliencePresets.Simulation.Limiters;

/// <summary>Finds nginx, or installs Debian's package with <c>apt-get</c> when it is missing and this process may.</summary>
public static class NginxBinary
{
    private static readonly string[] Candidates = ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"];
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string? Locate()
        => Candidates.FirstOrDefault(File.Exists)
            ?? (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, "nginx")).FirstOrDefault(File.Exists);

    public static async Task<string> LocateOrInstallAsync()
    {
        if (Locate() is string found)
        {
            return found;
        }

        await InstallLock.WaitAsync();
        try
        {
            if (Locate() is string installed)
            {
                return installed;
            }

            if (Environment.UserName != "root")
            {
                throw new InvalidOperationException("nginx is not installed and this process is not root: run `sudo apt-get install -y nginx` first.");
            }

            // The package index may be missing or stale in a fresh container: install, and update the index only if that fails.
            if (await RunAsync("apt-get", "install", "-y", "-q", "nginx") != 0
                && (await RunAsync("apt-get", "update", "-q") != 0 || await RunAsync("apt-get", "install", "-y", "-q", "nginx") != 0))
            {
                throw new InvalidOperationException("apt-get could not install nginx; install it by hand (`apt-get install -y nginx`).");
            }

            return Locate() ?? throw new InvalidOperationException("apt-get installed nginx, but no nginx binary was found.");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await Task.WhenAll(output, error);
        return process.ExitCode;
    }
}
