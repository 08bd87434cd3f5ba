using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Telemetry;

/// <summary>
/// The library's log messages are those of docs/observability.md's table, each with its event id and level.
/// </summary>
public sealed partial class LogTests
{
    [Fact]
    public void Messages_AreThoseOfTheDocsTable_WithTheirEventIdAndLevel()
    {
        var text = File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot(), "docs", "observability.md"));
        var documented = DocumentedRow().Matches(text[text.IndexOf("## Logs", StringComparison.Ordinal)..])
            .Select(m => $"{m.Groups["name"].Value} ({m.Groups["id"].Value}): {m.Groups["level"].Value}")
            .Order(StringComparer.Ordinal)
            .ToList();

        var declared = typeof(Log).GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .Select(a => $"{a.EventName} ({a.EventId}): {a.Level}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Contains("RetryScheduled (1): Information", declared);
        Assert.Equal(declared, documented);
    }

    [GeneratedRegex(@"^\| `(?<name>\w+)` \((?<id>\d+)\) \| (?<level>\w+) \|", RegexOptions.Multiline)]
    private static partial Regex DocumentedRow();
}
