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
        foreach (var (header, _, _) in ResultColumns.All)
        {
            table.AddColumn(new TableColumn(header).RightAligned());
        }

        foreach (var r in report.Setups)
        {
            table.AddRow([
                new Markup($"[bold]{Markup.Escape(r.Setup)}[/]"),
                .. ResultColumns.All.Select(c => c.Bad is null ? (Spectre.Console.Rendering.IRenderable)new Text(c.Cell(r)) : Flag(c.Cell(r), c.Bad(r))),
            ]);
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

    private static Markup Flag(string text, bool bad) => new(bad ? $"[red]{Markup.Escape(text)}[/]" : $"[green]{Markup.Escape(text)}[/]");
}
