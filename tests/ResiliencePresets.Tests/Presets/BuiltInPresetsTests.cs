using System.Globalization;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Presets;

/// <summary>
/// The README's table of the presets states the defaults of <see cref="BuiltInPresets"/>, cell by cell.
/// </summary>
public sealed class BuiltInPresetsTests
{
    public static TheoryData<string> Names => [.. BuiltInPresets.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Readme_PresetsTable_StatesThePresetsDefaults(string name)
    {
        var column = BuiltInPresets.Names.ToList().IndexOf(name) + 1;
        var rows = ReadmePresetRows();
        var options = BuiltInPresets.Create(name);
        var previous = column > 1 ? BuiltInPresets.Create(BuiltInPresets.Names[column - 2]) : null;

        Assert.Equal(["", .. BuiltInPresets.Names], rows["header"]);
        Assert.Equal($"{options.Retry.MaxRetryAttempts}", rows["Retries"][column]);
        Assert.Equal($"{Seconds(options.Retry.BaseDelay)} base, {Seconds(options.Retry.MaxDelay)} cap", rows["Backoff (full jitter)"][column]);
        Assert.Equal(Seconds(options.Retry.MaxRetryAfter), rows["Longest server wait honored (MaxRetryAfter)"][column]);
        Assert.Equal($"{Seconds(options.AttemptTimeout)} / {Seconds(options.TotalTimeout)}", rows["Attempt / total timeout"][column]);
        Assert.Equal(SameOr(Breaker(options), previous is null ? null : Breaker(previous)), rows["Circuit breaker"][column]);

        var statusTable = rows["Status table"][column];
        Assert.Equal(options.StatusCodes.Count == 0, statusTable == "default");
        Assert.All(options.StatusCodes, rule => Assert.Contains($"{rule.Key} ", statusTable, StringComparison.Ordinal));

        var methods = rows["Methods retried"][column];
        var retried = Methods(options, MethodRetryRule.Retry);
        var withKey = Methods(options, MethodRetryRule.WithIdempotencyKey);
        if (previous is null)
        {
            Assert.Equal(string.Join(", ", retried), methods);
        }
        else if (options.Idempotency.AddMissingKey)
        {
            // The rules are the previous preset's, with every unsafe request given a key.
            Assert.Equal(Methods(previous, MethodRetryRule.Retry), retried);
            Assert.Equal(Methods(previous, MethodRetryRule.WithIdempotencyKey), withKey);
            Assert.StartsWith($"those of {BuiltInPresets.Names[column - 2]}, {string.Join(" and ", withKey)} always", methods, StringComparison.Ordinal);
            Assert.Contains("stamped", methods, StringComparison.Ordinal);
        }
        else
        {
            var added = retried.Except(Methods(previous, MethodRetryRule.Retry));
            Assert.StartsWith($"those, {string.Join(", ", added)}; {string.Join(" and ", withKey)} with an {options.Idempotency.HeaderName}", methods, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Readme_DefaultStatusTable_StatesTheClassifiersDefaultRules()
    {
        var text = File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot(), "README.md"));
        var rules = StatusCodeClassifier.DefaultRules;
        var retried = string.Join(", ", rules.Where(r => r.Value == StatusCodeRule.Retry).Select(r => r.Key).Order());
        var capped = string.Join(" and ", rules.Where(r => r.Value.MaxRetries is not null).OrderBy(r => r.Key).Select(r => $"{r.Key} at most {Times(r.Value.MaxRetries!.Value)}"));
        var never = string.Join(", ", rules.Where(r => r.Key >= 500 && r.Value == StatusCodeRule.Never).Select(r => r.Key).Order());

        Assert.Contains($"Default status table: {retried} retry; {capped} (the server may have acted);", text, StringComparison.Ordinal);
        Assert.Contains($"any other 5xx at most once; {never} never; every 4xx not listed never.", text, StringComparison.Ordinal);
        Assert.All(rules.Where(r => r.Key is >= 400 and < 500 && r.Value != StatusCodeRule.Never), r => Assert.Contains($"{r.Key}", retried, StringComparison.Ordinal));

        static string Times(int count) => count switch { 1 => "once", 2 => "twice", _ => $"{count} times" };
    }

    private static List<string> Methods(ResiliencePresetOptions options, MethodRetryRule rule)
        => [.. options.Methods.Where(m => m.Value == rule).Select(m => m.Key)];

    private static string Breaker(ResiliencePresetOptions options)
    {
        var breaker = options.CircuitBreaker;
        return string.Create(CultureInfo.InvariantCulture,
            $"{breaker.FailureRatio * 100} % of ≥ {breaker.MinimumThroughput} attempts in {Seconds(breaker.SamplingDuration)} opens it for {Seconds(breaker.BreakDuration)}");
    }

    private static string SameOr(string value, string? previous) => value == previous ? "same" : value;

    // The README writes a duration in seconds below two minutes, in minutes from there.
    private static string Seconds(TimeSpan duration)
        => duration >= TimeSpan.FromMinutes(2) && duration.Seconds == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds} s");

    // The rows of the table under "## The presets", by their first cell, without code marks; the header row as "header".
    private static Dictionary<string, string[]> ReadmePresetRows()
    {
        var text = File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot(), "README.md"));
        var table = text[text.IndexOf("## The presets", StringComparison.Ordinal)..];
        table = table[table.IndexOf('|', StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        var rows = table.Split('\n').Where(l => l.StartsWith('|')).Select(Cells).ToList();
        var byName = rows.Skip(2).ToDictionary(r => r[0], StringComparer.Ordinal);
        byName["header"] = rows[0];
        return byName;

        static string[] Cells(string line)
            => [.. line.Trim().Trim('|').Split('|').Select(c => c.Replace("`", string.Empty, StringComparison.Ordinal).Trim())];
    }
}
