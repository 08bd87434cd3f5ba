using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Configuration;

/// <summary>
/// The table of settings is the one source of each range; the defaults are those of <see cref="BuiltInPresets"/>. These
/// tests hold the validator, the XML docs, the JSON schema, docs/configuration.md and the README to both.
/// </summary>
public sealed class PresetSettingsTests
{
    private const string BasedOn = "BasedOn";

    private static readonly string Root = DotnetCli.RepositoryRoot();

    public static TheoryData<string> Keys => [.. PresetSettings.All.Select(s => s.Key)];

    public static TheoryData<string> RangedKeys => [.. PresetSettings.All.Where(s => s.Range is not null).Select(s => s.Key)];

    // The settings whose default is a single value; the status and method tables are documented as tables.
    public static TheoryData<string> ValueKeys => [.. PresetSettings.All.Where(s => !IsTable(s)).Select(s => s.Key)];

    [Fact]
    public void All_NamesEverySettingOfTheOptions_InTheirOrder()
    {
        Assert.Equal(OptionKeys(typeof(ResiliencePresetOptions), prefix: string.Empty), PresetSettings.All.Select(s => s.Key));
    }

    [Theory]
    [MemberData(nameof(RangedKeys))]
    public void Validate_ValuesOnAndBeyondTheBounds_AreJudgedByTheTable(string key)
    {
        var setting = Setting(key);
        var range = setting.Range!;

        Assert.Equal(!range.ExcludesMin, IsValid(key, range.Min));
        Assert.False(IsValid(key, Step(range.Min, -1)));
        Assert.True(IsValid(key, Step(range.Min, +1)));
        if (range.Max is { } max)
        {
            Assert.True(IsValid(key, max));
            Assert.False(IsValid(key, Step(max, +1)));
        }

        if (range.ZeroIsOff)
        {
            Assert.True(IsValid(key, range.Zero));
        }

        var bad = Assert.Single(Problems(key, Step(range.Min, -1)));
        Assert.Equal(range.Requirement, bad.Requirement);
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void Schema_DescribesEachSettingWithTheTablesRangeAndTheBuiltInDefaults(string key)
    {
        var setting = Setting(key);
        var node = SchemaNode(key);
        var description = (string?)node["description"];

        Assert.NotNull(description);
        if (setting.Range is { } range)
        {
            Assert.Matches($@"Valid: {Regex(Documented(range))}[.,]", description);
            var numeric = SchemaNumericBranch(key);
            if (numeric is null)
            {
                // Time spans are strings to the schema; their range is in the description only.
                Assert.Equal(typeof(TimeSpan), setting.Type);
            }
            else
            {
                Assert.Equal(Convert.ToDouble(range.Min, CultureInfo.InvariantCulture), (double?)numeric[range.ExcludesMin ? "exclusiveMinimum" : "minimum"]);
                Assert.Equal(range.Max is null ? null : Convert.ToDouble(range.Max, CultureInfo.InvariantCulture), (double?)numeric["maximum"]);
                Assert.Equal(range.ZeroIsOff, ((JsonArray)SchemaNode(key)["anyOf"]!).Any(b => b!["const"] is { } zero && (double)zero == 0));
            }
        }

        if (IsTable(setting))
        {
            return;
        }

        Assert.EndsWith($"Default: {Defaults(setting)}.", description, StringComparison.Ordinal);

        // JSON Schema has one default; a setting whose default differs by preset states them in its description only.
        var values = BuiltInPresets.Names.Select(p => setting.Read(BuiltInPresets.Create(p))).Distinct().ToList();
        Assert.Equal(values.Count == 1 ? JsonValue(values[0]) : null, node["default"]?.ToJsonString());
    }

    [Fact]
    public void ConfigurationDoc_KeyTable_ListsEverySettingInTheTablesOrder()
    {
        var rows = ConfigurationDocRows();

        Assert.Equal(PresetSettings.All.Select(s => s.Key).Prepend(BasedOn), rows.Select(r => r.Key));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void ConfigurationDoc_KeyTable_StatesTheTablesRangeAndTheBuiltInDefaults(string key)
    {
        var setting = Setting(key);
        var row = Assert.Single(ConfigurationDocRows(), r => r.Key == key);

        if (setting.Range is { } range)
        {
            // A rule between two settings may follow the range.
            Assert.Matches($"^{Regex(Documented(range))}(, .+)?$", row.Valid);
        }

        if (!IsTable(setting))
        {
            // An explanation in parentheses may follow the defaults.
            Assert.Matches($@"^{Regex(Defaults(setting))}( \(.+\))?$", row.Default);
        }
    }

    [Fact]
    public void Readme_ConfigurationTable_NamesEverySettingOnce()
    {
        var rows = ReadmeRows();

        Assert.Equal(PresetSettings.All.Select(s => s.Key).Prepend(BasedOn), rows.SelectMany(r => r.Keys));
        foreach (var (keys, type) in rows.Where(r => r.Keys.Count == 1 && r.Type.Any(char.IsAsciiDigit)))
        {
            // A range given in the short table is the table's.
            Assert.Equal(Documented(Setting(keys[0]).Range!), type);
        }
    }

    [Theory]
    [MemberData(nameof(ValueKeys))]
    public void XmlDoc_OfEachOptionProperty_StatesTheTablesRangeAndTheBuiltInDefaults(string key)
    {
        var setting = Setting(key);
        var member = XmlDocs().Single(m => (string?)m.Attribute("name") == $"P:{PropertyPath(key)[^1].DeclaringType!.FullName}.{PropertyPath(key)[^1].Name}");

        if (setting.Range is { } range)
        {
            Assert.Matches($@"Valid: {Regex(Documented(range))}[.,]", Render(member.Element("summary")!));
        }

        Assert.Equal($"Default: {Defaults(setting)}.", Render(member.Element("value")!));
    }

    private static PresetSetting Setting(string key) => PresetSettings.All.Single(s => s.Key == key);

    private static bool IsTable(PresetSetting setting) => setting.Type.IsGenericType && setting.Type.GetGenericTypeDefinition() == typeof(IDictionary<,>);

    private static IEnumerable<string> OptionKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var nested = property.PropertyType is { IsClass: true, Namespace: "ResiliencePresets" } && property.PropertyType != typeof(string);
            foreach (var key in nested ? OptionKeys(property.PropertyType, $"{prefix}{property.Name}:") : [prefix + property.Name])
            {
                yield return key;
            }
        }
    }

    private static PropertyInfo[] PropertyPath(string key)
    {
        var type = typeof(ResiliencePresetOptions);
        var path = new List<PropertyInfo>();
        foreach (var name in key.Split(':'))
        {
            path.Add(type.GetProperty(name)!);
            type = path[^1].PropertyType;
        }

        return [.. path];
    }

    private static List<OptionsProblem> Problems(string key, object value)
    {
        var options = new ResiliencePresetOptions();
        object target = options;
        var names = key.Split(':');
        foreach (var name in names[..^1])
        {
            target = target.GetType().GetProperty(name)!.GetValue(target)!;
        }

        target.GetType().GetProperty(names[^1])!.SetValue(target, value);

        // A rule between two settings (BaseDelay at most MaxDelay) is not this test's subject.
        return ResiliencePresetOptionsValidator.Validate(options).Where(p => p.Key == key && p.Counterpart is null).ToList();
    }

    private static bool IsValid(string key, object value) => Problems(key, value).Count == 0;

    private static object Step(object value, int direction) => value switch
    {
        int number => number + direction,
        double number => number + (direction * Math.Max(Math.Abs(number), 1) * 1e-9),
        TimeSpan span => span + TimeSpan.FromTicks(direction),
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a ranged type."),
    };

    // How the docs write a range: "0 to 10", "00:00:00.5 to 1.00:00:00", "0 (off), or 0.001 to 100000",
    // "00:00:00 (off), or 00:00:01 to 1.00:00:00".
    private static string Documented(SettingRange range)
    {
        if (range.Max is null)
        {
            return $"at least {Text(range.Min)}";
        }

        var bounds = $"{Text(range.Min)} to {Text(range.Max)}";
        return range.ExcludesMin ? $"more than {Text(range.Min)}, at most {Text(range.Max)}"
            : range.ZeroIsOff ? $"{Text(range.Zero)} (off), or {bounds}"
            : bounds;
    }

    // How the docs write defaults: "00:00:30" when every built-in preset agrees, else
    // "00:00:30 (ReadOnlyApi, PaymentWithIdempotencyKey), 00:00:15 (IdempotentWrite)".
    private static string Defaults(PresetSetting setting)
    {
        var groups = BuiltInPresets.Names.GroupBy(p => Text(setting.Read(BuiltInPresets.Create(p)))).ToList();
        return groups.Count == 1 ? groups[0].Key : string.Join(", ", groups.Select(g => $"{g.Key} ({string.Join(", ", g)})"));
    }

    private static string Text(object? value) => value switch
    {
        TimeSpan span => Short(span.ToString("c", CultureInfo.InvariantCulture)),
        bool flag => flag ? "true" : "false",
        null => "none",
        _ => SettingRange.Text(value),
    };

    // "00:00:00.5000000" is written 00:00:00.5.
    private static string Short(string span) => span[span.LastIndexOf(':')..].Contains('.', StringComparison.Ordinal) ? span.TrimEnd('0') : span;

    // A setting whose default is no value (Shared:Key: the client's name) has no default in the schema.
    private static string? JsonValue(object? value) => value switch
    {
        null => null,
        TimeSpan span => System.Text.Json.JsonSerializer.Serialize(span.ToString("c", CultureInfo.InvariantCulture)),
        _ => System.Text.Json.JsonSerializer.Serialize(value),
    };

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static JsonNode SchemaDocument { get; } = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "docs", "resiliencepresets.schema.json")))!;

    // The node that describes a setting: its property under a client, or the definition it refers to, the first that has
    // a description.
    private static JsonNode SchemaNode(string key)
    {
        var node = SchemaDocument["definitions"]!["client"]!;
        foreach (var name in key.Split(':'))
        {
            node = Definition(node)["properties"]![name]!;
        }

        while (node["description"] is null && node["$ref"] is { } reference)
        {
            node = SchemaDocument["definitions"]![((string)reference!).Split('/')[^1]]!;
        }

        return node;
    }

    private static JsonNode Definition(JsonNode node)
        => node["$ref"] is { } reference ? SchemaDocument["definitions"]![((string)reference!).Split('/')[^1]]! : node;

    private static JsonNode? SchemaNumericBranch(string key)
        => (SchemaNode(key)["anyOf"] as JsonArray)?.FirstOrDefault(b => (string?)b!["type"] is "integer" or "number");

    private static List<(string Key, string Default, string Valid)> ConfigurationDocRows()
    {
        var text = File.ReadAllText(Path.Combine(Root, "docs", "configuration.md"));
        var table = text[text.IndexOf("## Keys", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", table.IndexOf("| Key", StringComparison.Ordinal), StringComparison.Ordinal)];
        return [.. TableRows(table).Select(cells => (Key(cells[0]), cells[2], cells[3]))];

        static string Key(string cell) => cell.Split(":<")[0];
    }

    private static List<(List<string> Keys, string Type)> ReadmeRows()
    {
        var text = File.ReadAllText(Path.Combine(Root, "README.md"));
        var table = text[text.IndexOf("## Configuration in short", StringComparison.Ordinal)..];
        table = table[table.IndexOf("| Key", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", StringComparison.Ordinal)];
        return [.. TableRows(table).Select(cells => (Keys(cells[0]), cells[1]))];

        // "`CircuitBreaker:Enabled`, `:FailureRatio`" names CircuitBreaker:FailureRatio, "`RateLimit:PermitsPerSecond` or
        // `:PermitsPerMinute`" RateLimit:PermitsPerMinute, and "`StatusCodes:<code>`" StatusCodes.
        static List<string> Keys(string cell)
        {
            var keys = new List<string>();
            foreach (var name in cell.Split([",", " or "], StringSplitOptions.TrimEntries).Select(n => n.Split(":<")[0]))
            {
                keys.Add(name.StartsWith(':') ? keys[^1].Split(':')[0] + name : name);
            }

            return keys;
        }
    }

    // The body rows of a markdown table, cells trimmed and without code marks; the header and rule rows are skipped.
    private static IEnumerable<string[]> TableRows(string table)
        => table.Split('\n').Where(l => l.StartsWith('|')).Skip(2)
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Replace("`", string.Empty, StringComparison.Ordinal).Trim()).ToArray());

    private static IEnumerable<XElement> XmlDocs()
        => XDocument.Load(Path.ChangeExtension(typeof(ResiliencePresetOptions).Assembly.Location, ".xml")).Descendants("member");

    // A doc comment as a reader sees it: <see cref="...MaxDelay"/> as MaxDelay, <see langword="true"/> as true.
    private static string Render(XElement element)
    {
        var text = string.Concat(element.Nodes().Select(node => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" } see => (string?)see.Attribute("langword") ?? ((string)see.Attribute("cref")!).Split('.')[^1],
            XElement e => Render(e),
            _ => string.Empty,
        }));
        return string.Join(' ', text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
    }
}
