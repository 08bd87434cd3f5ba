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

    public static string Update(string? document, string results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var block = $"{Start}\n{results.TrimEnd('\n')}\n{End}";
        if (string.IsNullOrWhiteSpace(document))
        {
            document = "# Performance\n";
        }

        var start = document.IndexOf(Start, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (start >= 0 && end > start)
        {
            return string.Concat(document.AsSpan(0, start), block, document.AsSpan(end + End.Length));
        }

        var heading = document.IndexOf("\n" + Heading + "\n", StringComparison.Ordinal);
        if (heading < 0)
        {
            return $"{document.TrimEnd('\n')}\n\n{Heading}\n\n{block}\n";
        }

        // The section exists without the markers: the block goes at its end, before the next section.
        var bodyStart = heading + Heading.Length + 2;
        var next = document.IndexOf("\n## ", bodyStart, StringComparison.Ordinal);
        var insertAt = next < 0 ? document.Length : next + 1;
        return $"{document[..insertAt].TrimEnd('\n')}\n\n{block}\n{(next < 0 ? string.Empty : "\n" + document[insertAt..])}";
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
