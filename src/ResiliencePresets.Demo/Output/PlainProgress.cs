using System.Collections.Concurrent;
using ResiliencePresets.Demo.Workload;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// Progress for output that is not a terminal: one line as each client setup finishes.
/// </summary>
internal sealed class PlainProgress(TextWriter writer)
{
    private readonly ConcurrentDictionary<string, bool> _finished = new(StringComparer.Ordinal);

    public void Report(SetupProgress progress)
    {
        if (progress.Total > 0 && progress.Completed == progress.Total && _finished.TryAdd(progress.Setup, true))
        {
            lock (writer)
            {
                writer.WriteLine($"  {progress.Setup}: {progress.Completed} requests done in {progress.Attempts} attempts");
            }
        }
    }
}
