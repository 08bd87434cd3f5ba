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
