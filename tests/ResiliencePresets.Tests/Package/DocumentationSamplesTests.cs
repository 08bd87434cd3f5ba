using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NJsonSchema;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Package;

/// <summary>
/// Every <c>```json</c> block of README.md, docs/*.md and src/*/PACKAGE.md, read from the docs at test time, as a user
/// pastes it into appsettings.json: it is JSON with a <c>ResiliencePresets</c> section, every key it sets is one
/// docs/configuration.md lists, it passes the JSON schema, and a host with it passes the start-up check. Its clients are
/// registered under the preset the docs' C# samples give them, and under each built-in preset when no sample registers
/// them. A fragment that is not a whole appsettings.json belongs in a <c>```jsonc</c> block.
/// </summary>
public sealed class DocumentationSamplesTests
{
    private const string Section = "ResiliencePresets";

    private static readonly string Root = DotnetCli.RepositoryRoot();

    private static readonly Lazy<IReadOnlyList<Block>> Blocks = new(ReadBlocks);

    private static readonly string[] BuiltInPresets =
        [ResiliencePresetNames.ReadOnlyApi, ResiliencePresetNames.IdempotentWrite, ResiliencePresetNames.PaymentWithIdempotencyKey];

    public static TheoryData<string> JsonSamples => new(Blocks.Value.Where(b => b.Language == "json").Select(b => b.Location));

    [Fact]
    public void Docs_HaveJsonSamples_InTheReadmeAndTheConfigurationReference()
    {
        var documents = Blocks.Value.Where(b => b.Language == "json").Select(b => b.Document).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("README.md", documents);
        Assert.Contains("docs/configuration.md", documents);
    }

    [Theory]
    [MemberData(nameof(JsonSamples))]
    public void JsonSample_IsAnAppSettingsDocumentThatUsesOnlyDocumentedKeys(string location)
    {
        var sample = Sample(location);
        var documented = DocumentedKeys();

        using var json = JsonDocument.Parse(sample.Text);

        Assert.True(json.RootElement.TryGetProperty(Section, out var section) && section.ValueKind == JsonValueKind.Object,
            $"{location} has no \"{Section}\" section; a fragment belongs in a ```jsonc block.");
        var undocumented = SettingKeys(section).Where(k => !documented.Any(d => d.IsMatch(k))).ToList();
        Assert.True(undocumented.Count == 0, $"{location} uses keys docs/configuration.md does not list: {string.Join(", ", undocumented)}.");
    }

    [Theory]
    [MemberData(nameof(JsonSamples))]
    public async Task JsonSample_PassesTheSchema(string location)
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(Root, "docs", "resiliencepresets.schema.json"));

        var errors = schema.Validate(Sample(location).Text);

        Assert.Empty(errors.Select(e => $"{location}: {e.Path}: {e.Kind}"));
    }

    // Each example of docs/configuration.md's table of messages, with the section that produces it: the host prints the
    // example as written, up to its "…" where the docs shorten it.
    [Theory]
    [InlineData("""{ "Clients": { "github": { "Retry": { "MaxRetryAttempts": -1 } } } }""", "ResiliencePresets:Clients:github:Retry:MaxRetryAttempts is -1; it must be between 0 and 10.")]
    [InlineData("""{ "Clients": { "github": { "TotalTimeout": "00:00:05" } } }""", "ResiliencePresets:Clients:github:TotalTimeout is 00:00:05; it must be at least AttemptTimeout (00:00:10).")]
    [InlineData("""{ "Clients": { "github": { "Retry": { "BaseDelay": "00:01:00" } } } }""", "ResiliencePresets:Clients:github:Retry:BaseDelay is 00:01:00; it must be at most Retry:MaxDelay (00:00:30).")]
    [InlineData("""{ "Presets": { "SlowReports": { "BasedOn": "ReadOnlyApi", "TotalTimeout": "soon" } } }""", "ResiliencePresets:Presets:SlowReports:TotalTimeout is 'soon'; it must be a time span written as hh:mm:ss, such as 00:00:30.")]
    [InlineData("""{ "Clients": { "github": { "AttemptTimeout": "00:30" } } }""", "ResiliencePresets:Clients:github:AttemptTimeout is '00:30', which .NET would read as 00:30:00; it must be a time span written as [d.]hh:mm:ss with hours from 0 to 23, such as 00:00:30 or 1.00:00:00.")]
    [InlineData("""{ "Clients": { "github": { "Retry": { "MaxRetryAttempts": 99999999999 } } } }""", "ResiliencePresets:Clients:github:Retry:MaxRetryAttempts is '99999999999'; it must be between 0 and 10.")]
    [InlineData("""{ "Clients": { "github": { "RateLimit": { "PermitsPerSecond": 10, "PermitsPerMinute": 600 } } } }""", "ResiliencePresets:Clients:github:RateLimit:PermitsPerMinute is 600; it must be 0 when RateLimit:PermitsPerSecond is set (10); set one rate.")]
    [InlineData("""{ "Clients": { "github": { "Retyr": { "MaxRetryAttempts": 1 } } } }""", "ResiliencePresets:Clients:github:Retyr is not a known setting; the settings under ResiliencePresets:Clients:github are Retry, StatusCodes, Methods, AttemptTimeout, TotalTimeout, CircuitBreaker, Idempotency, RetryBudget, RateLimit, Fallback, Hedging, Shared.")]
    [InlineData("""{ "Clients": { "github": { "StatusCodes": { "404": "Sometimes" } } } }""", "ResiliencePresets:Clients:github:StatusCodes:404 is 'Sometimes'; it must be Retry, Never or Retry(N) with N at least 1.")]
    [InlineData("""{ "Clients": { "github": { "StatusCodes": { "abc": "Never" } } } }""", "ResiliencePresets:Clients:github:StatusCodes:abc is not a status code; the keys under ResiliencePresets:Clients:github:StatusCodes must be whole numbers from 100 to 599.")]
    [InlineData("""{ "Clients": { "github": { "Methods": { "GE T": "Retry" } } } }""", "ResiliencePresets:Clients:github:Methods:GE T is not an HTTP method; …")]
    [InlineData("""{ "Clients": { "github": { "BasedOn": "ReadOnlyApi" } } }""", "ResiliencePresets:Clients:github:BasedOn is not allowed: a client's preset is chosen in code with AddResiliencePreset; BasedOn belongs under Presets.")]
    [InlineData("""{ "Presets": { "Reports": { "AttemptTimeout": "00:00:20" } } }""", "ResiliencePresets:Presets:Reports:BasedOn is missing; a preset defined in configuration must name the preset it starts from: …")]
    [InlineData("""{ "Presets": { "readonlyapi": { "AttemptTimeout": "00:00:20" } } }""", "ResiliencePresets:Presets:readonlyapi:BasedOn is missing; readonlyapi is not the built-in preset ReadOnlyApi, as preset names are case-sensitive: …")]
    [InlineData("""{ "Presets": { "A": { "BasedOn": "Nope" } } }""", "ResiliencePresets:Presets:A:BasedOn is 'Nope'; it must name a known preset: …")]
    [InlineData("""{ "Presets": { "A": { "BasedOn": "B" }, "B": { "BasedOn": "A" } } }""", "ResiliencePresets:Presets:A:BasedOn forms a cycle: A → B → A; a preset must lead back to a built-in one (ReadOnlyApi, IdempotentWrite, PaymentWithIdempotencyKey).")]
    [InlineData("""{ "Client": { "github": { "Retry": { "MaxRetryAttempts": 1 } } } }""", "ResiliencePresets:Client is not a known section; the sections under ResiliencePresets are Presets and Clients.")]
    [InlineData("""{ "Clients": { "api": "fast" } }""", """ResiliencePresets:Clients:api is 'fast'; a client's settings must be a section, such as { "Retry": { "MaxRetryAttempts": 2 } }, not a single value.""")]
    [InlineData("""{ "Clients": { "probe": { "RateLimit": { "PermitsPerSecond": 0.0000001 } } } }""", "ResiliencePresets:Clients:probe:RateLimit:PermitsPerSecond is 1E-07; it must be 0 (off) or between 0.001 and 100000.")]
    public async Task ValidationMessageExample_IsWhatTheHostPrints(string section, string documented)
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "configuration.md"));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "{{Section}}": {{section}} }""")));
        builder.Services.AddResiliencePresets(builder.Configuration.GetSection(Section));
        builder.Services.AddHttpClient("github").AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        builder.Services.AddHttpClient("probe").AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains($"| `{documented}` |", doc, StringComparison.Ordinal);
        var shown = documented.TrimEnd('…').TrimEnd();
        Assert.Contains(error.Failures, f => documented.EndsWith('…') ? f.StartsWith(shown, StringComparison.Ordinal) && f.Length > shown.Length : f == documented);
    }

    [Theory]
    [MemberData(nameof(JsonSamples))]
    public async Task JsonSample_PassesTheStartUpCheck_WithItsClientsRegisteredAsTheDocsRegisterThem(string location)
    {
        var sample = Sample(location);
        var presets = RegisteredPresets();
        var clients = ClientNames(sample.Text)
            .Select(name => (Name: name, Presets: presets.TryGetValue(name, out var registered) ? registered : BuiltInPresets))
            .ToList();

        // One host per preset a client may have; a client with fewer keeps its last.
        var hosts = clients.Count == 0 ? 1 : clients.Max(c => c.Presets.Count);
        for (var round = 0; round < hosts; round++)
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(sample.Text)));
            builder.Services.AddResiliencePresets(builder.Configuration.GetSection(Section));
            var registrations = new List<string>();
            foreach (var (name, names) in clients)
            {
                var preset = names[Math.Min(round, names.Count - 1)];
                builder.Services.AddHttpClient(name).AddResiliencePreset(preset);
                registrations.Add($"{name} ({preset})");
            }

            using var host = builder.Build();
            var failure = await Record.ExceptionAsync(() => host.StartAsync());
            if (failure is null)
            {
                await host.StopAsync();
            }

            Assert.True(failure is null, $"{location} with the clients {string.Join(", ", registrations)}: {failure?.Message}");
        }
    }

    private static Block Sample(string location) => Blocks.Value.Single(b => b.Location == location);

    // Every fenced block of the docs a user reads, with the line of its opening fence.
    private static List<Block> ReadBlocks()
    {
        var documents = new[] { "README.md" }
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(f => $"docs/{Path.GetFileName(f)}"))
            .Concat(Directory.GetDirectories(Path.Combine(Root, "src"))
                .Where(d => File.Exists(Path.Combine(d, "PACKAGE.md")))
                .Select(d => $"src/{Path.GetFileName(d)}/PACKAGE.md"))
            .Order(StringComparer.Ordinal);
        var blocks = new List<Block>();
        foreach (var document in documents)
        {
            var lines = File.ReadAllLines(Path.Combine(Root, document));
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    continue;
                }

                var language = lines[i].Trim()[3..].Trim();
                var end = Array.FindIndex(lines, i + 1, l => l.TrimStart().StartsWith("```", StringComparison.Ordinal));
                Assert.True(end > i, $"{document}:{i + 1} opens a code block that never closes.");
                blocks.Add(new Block(document, i + 1, language, string.Join('\n', lines[(i + 1)..end])));
                i = end;
            }
        }

        return blocks;
    }

    // The first column of the table under "## Keys", each a pattern: StatusCodes:<code> matches StatusCodes:404.
    private static List<Regex> DocumentedKeys()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "configuration.md"));
        var table = text[text.IndexOf("## Keys", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n#", StringComparison.Ordinal)];
        var keys = Regex.Matches(table, @"^\| `([^`]+)` \|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("Retry:MaxRetryAttempts", keys);
        return keys.Select(k => new Regex($"^{Regex.Replace(Regex.Escape(k), "<[^>]+>", "[^:]+")}$", RegexOptions.None, TimeSpan.FromSeconds(1))).ToList();
    }

    // The keys a sample sets under each preset and client, such as Retry:MaxRetryAttempts; any other key under the
    // section is reported as it is.
    private static IEnumerable<string> SettingKeys(JsonElement section)
    {
        foreach (var part in section.EnumerateObject())
        {
            if (part.Name is "Presets" or "Clients" && part.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in part.Value.EnumerateObject())
                {
                    foreach (var key in Leaves(entry.Value, prefix: null))
                    {
                        yield return key;
                    }
                }
            }
            else
            {
                yield return $"{Section}:{part.Name}";
            }
        }
    }

    // A key whose value is an empty section counts too ("Retyr": { }).
    private static IEnumerable<string> Leaves(JsonElement element, string? prefix)
        => element.ValueKind == JsonValueKind.Object && element.EnumerateObject().Any()
            ? element.EnumerateObject().SelectMany(p => Leaves(p.Value, prefix is null ? p.Name : $"{prefix}:{p.Name}"))
            : prefix is null ? [] : [prefix];

    private static List<string> ClientNames(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(Section).TryGetProperty("Clients", out var clients)
            ? clients.EnumerateObject().Select(c => c.Name).ToList()
            : [];
    }

    // Client name to the presets the C# samples register it with: AddHttpClient("name"), AddHttpClient<Type>("name"),
    // AddHttpClient<Type>() or httpClientName: "name", then AddResiliencePreset in the same statement.
    private static Dictionary<string, IReadOnlyList<string>> RegisteredPresets()
    {
        var found = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var block in Blocks.Value.Where(b => b.Language is "csharp" or "cs"))
        {
            foreach (var statement in block.Text.Split(';'))
            {
                var name = Regex.Match(statement, """httpClientName:\s*"([^"]+)"|AddHttpClient(?:<\w+>)?\(\s*"([^"]+)"|AddHttpClient<(\w+)>\(\s*[^"]""",
                    RegexOptions.None, TimeSpan.FromSeconds(1));
                var preset = Regex.Match(statement, """AddResiliencePreset\(\s*(?:ResiliencePresetNames\.(\w+)|"([^"]+)")""",
                    RegexOptions.None, TimeSpan.FromSeconds(1));
                if (name.Success && preset.Success)
                {
                    var client = name.Groups.Values.Skip(1).First(g => g.Success).Value;
                    var presetName = preset.Groups.Values.Skip(1).First(g => g.Success).Value;
                    var presets = found.TryGetValue(client, out var list) ? list : found[client] = [];
                    if (!presets.Contains(presetName))
                    {
                        presets.Add(presetName);
                    }
                }
            }
        }

        return found.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.OrdinalIgnoreCase);
    }

    private sealed record Block(string Document, int Line, string Language, string Text)
    {
        public string Location => $"{Document}:{Line}";
    }
}
