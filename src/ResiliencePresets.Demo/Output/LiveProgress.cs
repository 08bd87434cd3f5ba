using System.Collections.Concurrent;
using ResiliencePresets.Demo.Results;
using ResiliencePresets.Demo.Workload;
using Spectre.Console;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// A progress bar per client setup while the workload runs, for a terminal.
/// </summary>
internal static class LiveProgress
{
    public static async Task<WorkloadReport> RunAsync(IAnsiConsole console, IEnumerable<string> setups, Func<Action<SetupProgress>, Task<WorkloadReport>> run)
    {
        WorkloadReport? report = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new ConcurrentDictionary<string, ProgressTask>(StringComparer.Ordinal);
                foreach (var setup in setups)
                {
                    tasks[setup] = context.AddTask(Describe(setup, 0, 0));
                }

                report = await run(progress =>
                {
                    var task = tasks[progress.Setup];
                    task.MaxValue = Math.Max(1, progress.Total);
                    task.Value = progress.Completed;
                    task.Description = Describe(progress.Setup, progress.Completed, progress.Attempts);
                });
            });

        return report!;
    }

    private static string Describe(string setup, int completed, int attempts)
        => $"{Markup.Escape(setup),-26} {completed,4} done, {attempts,4} attempts";
}
