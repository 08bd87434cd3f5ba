using ResiliencePresets.Demo.Results;

namespace ResiliencePresets.Demo.Output;

/// <summary>
/// The results as plain, aligned text, for output that is not a terminal.
/// </summary>
internal static class PlainReport
{
    public static void Write(TextWriter writer, WorkloadReport report)
    {
        string[] headers = ["Setup", .. ResultColumns.All.Select(c => c.Header)];
        var rows = report.Setups.Select(r => (string[])[r.Setup, .. ResultColumns.All.Select(c => c.Cell(r))]).ToList();
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();

        writer.WriteLine($"Results ({report.Elapsed.TotalSeconds:0.0} s, seed {report.Seed})");
        writer.WriteLine(Line(headers, widths));
        writer.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            writer.WriteLine(Line(row, widths));
        }

        writer.WriteLine();
        foreach (var r in report.Setups)
        {
            writer.WriteLine($"  {r.Setup}: {r.Description}; {Format.FailedWith(r)}");
        }

        writer.WriteLine();
        foreach (var (column, meaning) in Legend.Columns)
        {
            writer.WriteLine($"  {column}: {meaning}");
        }
    }

    // The setup name is left-aligned, the numbers right-aligned.
    private static string Line(IReadOnlyList<string> cells, int[] widths)
        => string.Join("  ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
}
