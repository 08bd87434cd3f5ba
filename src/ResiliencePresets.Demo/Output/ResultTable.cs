using ResiliencePresets.Demo.Results;
using Spectre.Console;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// The results as a Spectre.Console table, one row per client setup, for a terminal.
/// </summary>
internal static class ResultTable
{
    public static void Write(IAnsiConsole console, WorkloadReport report)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Results[/] ({report.Elapsed.TotalSeconds:0.0} s, seed {report.Seed})");
        table.AddColumn("Setup");
        foreach (var header in (string[])["Requests", "Attempts", "429s", "Waits honored", "Backoff", "Unsafe retries", "Dup. charges", "Failed", "p50", "p99"])
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var r in report.Setups)
        {
            table.AddRow(
                new Markup($"[bold]{Markup.Escape(r.Setup)}[/]"),
                new Text(Format.Count(r.Requests)),
                new Text(Format.Count(r.Attempts)),
                new Text(Format.Count(r.RateLimited)),
                Flag(Format.WaitsHonored(r), r.RetriedEarly > 0),
                new Text(Format.Count(r.BackoffRetries)),
                Flag(Format.Count(r.UnsafeRetries), r.UnsafeRetries > 0),
                Flag(Format.Count(r.DuplicateCharges), r.DuplicateCharges > 0),
                Flag(Format.Count(r.Failed), r.Failed > 0),
                new Text(Format.Latency(r.LatencyP50)),
                new Text(Format.Latency(r.LatencyP99)));
        }

        console.Write(table);
        var setups = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var r in report.Setups)
        {
            setups.AddRow(new Markup($"[bold]{Markup.Escape(r.Setup)}[/]"), new Markup($"{Markup.Escape(r.Description)}[grey]; {Markup.Escape(Format.FailedWith(r))}[/]"));
        }

        console.Write(setups);
        console.WriteLine();
        var legend = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        foreach (var (column, meaning) in Legend.Columns)
        {
            legend.AddRow(new Markup($"[bold]{Markup.Escape(column)}[/]"), new Markup($"[grey]{Markup.Escape(meaning)}[/]"));
        }

        console.Write(legend);
    }

    private static Markup Flag(string text, bool bad) => new(bad ? $"[red]{text}[/]" : $"[green]{text}[/]");
}
