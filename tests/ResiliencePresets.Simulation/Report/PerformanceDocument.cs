namespace ResiliencePresets.Simulation.Report;

/// <summary>
/// Updates docs/performance.md: only the generated block between the markers inside "## Load simulation" is replaced,
/// so the section's prose and every other section stay as they are. A missing file or section is created.
/// </summary>
public static class PerformanceDocument
{
    public const string Heading = "## Load simulation";
    public const string Start = "<!-- load-simulation:results:start -->";
    public const string End = "<!-- load-simulation:results:end -->";

    /// <summary>Replaces the block between <paramref name="start"/> and <paramref name="end"/> inside <paramref name="heading"/>.</summary>
    public static string Update(string? document, string results, string heading = Heading, string start = Start, string end = End)
    {
        ArgumentNullException.ThrowIfNull(results);
        var block = $"{start}\n{results.TrimEnd('\n')}\n{end}";
        if (string.IsNullOrWhiteSpace(document))
        {
            document = "# Performance\n";
        }

        var startAt = document.IndexOf(start, StringComparison.Ordinal);
        var endAt = document.IndexOf(end, StringComparison.Ordinal);
        if (startAt >= 0 && endAt > startAt)
        {
            return string.Concat(document.AsSpan(0, startAt), block, document.AsSpan(endAt + end.Length));
        }

        var headingAt = document.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        if (headingAt < 0)
        {
            return $"{document.TrimEnd('\n')}\n\n{heading}\n\n{block}\n";
        }

        // The section exists without the markers: the block goes at its end, before the next section.
        var bodyStart = headingAt + heading.Length + 2;
        var next = document.IndexOf("\n## ", bodyStart, StringComparison.Ordinal);
        var insertAt = next < 0 ? document.Length : next + 1;
        return $"{document[..insertAt].TrimEnd('\n')}\n\n{block}\n{(next < 0 ? string.Empty : "\n" + document[insertAt..])}";
    }

    /// <summary>Prints <paramref name="markdown"/> and, when <paramref name="writeDocument"/>, writes it as the block
    /// between <paramref name="start"/> and <paramref name="end"/> of docs/performance.md.</summary>
    public static void Publish(string markdown, bool writeDocument, string heading, string start, string end)
    {
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (writeDocument && Locate() is string path)
        {
            File.WriteAllText(path, Update(File.Exists(path) ? File.ReadAllText(path) : null, markdown, heading, start, end));
            Console.WriteLine($"written to {path}");
        }
    }

    /// <summary>Finds docs/performance.md above the running program: the folder that holds ResiliencePresets.sln.</summary>
    public static string? Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ResiliencePresets.sln")))
            {
                return Path.Combine(dir.FullName, "docs", "performance.md");
            }
        }

        return null;
    }
}
