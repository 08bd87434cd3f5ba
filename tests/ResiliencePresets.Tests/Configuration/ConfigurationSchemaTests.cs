using System.Reflection;
using NJsonSchema;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Configuration;

/// <summary>
/// The JSON Schema in docs/ that editors use to complete and check appsettings.json.
/// </summary>
public sealed class ConfigurationSchemaTests
{
    private static readonly string Root = DotnetCli.RepositoryRoot();

    public static TheoryData<string, string> BadExamples => new()
    {
        { """{ "ResiliencePresets": { "Clients": { "github": { "Retyr": { } } } } }""", "ResiliencePresets.Clients.github.Retyr" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "Retry": { "MaxRetryAttempts": -1 } } } } }""", "ResiliencePresets.Clients.github.Retry.MaxRetryAttempts" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "Retry": { "MaxRetryAttempts": 11 } } } } }""", "ResiliencePresets.Clients.github.Retry.MaxRetryAttempts" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "StatusCodes": { "404": "Sometimes" } } } } }""", "ResiliencePresets.Clients.github.StatusCodes.404" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "StatusCodes": { "abc": "Never" } } } } }""", "ResiliencePresets.Clients.github.StatusCodes.abc" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "Methods": { "POST": "Always" } } } } }""", "ResiliencePresets.Clients.github.Methods.POST" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "TotalTimeout": "30" } } } }""", "ResiliencePresets.Clients.github.TotalTimeout" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "BasedOn": "ReadOnlyApi" } } } }""", "ResiliencePresets.Clients.github.BasedOn" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "CircuitBreaker": { "FailureRatio": 0 } } } } }""", "ResiliencePresets.Clients.github.CircuitBreaker.FailureRatio" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "CircuitBreaker": { "MinimumThroughput": 1 } } } } }""", "ResiliencePresets.Clients.github.CircuitBreaker.MinimumThroughput" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "CircuitBreaker": { "Enabled": "yes" } } } } }""", "ResiliencePresets.Clients.github.CircuitBreaker.Enabled" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "Idempotency": { "HeaderName": "Idempotency Key" } } } } }""", "ResiliencePresets.Clients.github.Idempotency.HeaderName" },
        { """{ "ResiliencePresets": { "Presets": { "Slow": { "BasedOn": "ReadOnlyApi", "TotalTimeout": "soon" } } } }""", "ResiliencePresets.Presets.Slow.TotalTimeout" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "Fallback": { "StaleIfError": "300" } } } } }""", "ResiliencePresets.Clients.github.Fallback.StaleIfError" },
        { """{ "ResiliencePresets": { "Clients": { "github": { "Fallback": { "MaxEntries": 0 } } } } }""", "ResiliencePresets.Clients.github.Fallback.MaxEntries" },
        { """{ "ResiliencePresets": { "Preset": { } } }""", "ResiliencePresets.Preset" },
    };

    [Fact]
    public async Task DemoSettings_PassTheSchema()
    {
        var errors = (await Schema()).Validate(await File.ReadAllTextAsync(Path.Combine(Root, "src", "ResiliencePresets.Demo", "appsettings.json")));

        Assert.Empty(errors.Select(e => $"{e.Path}: {e.Kind}"));
    }

    [Theory]
    [MemberData(nameof(BadExamples))]
    public async Task BadExample_IsFlaggedAtItsPath(string json, string path)
    {
        var errors = (await Schema()).Validate(json);

        Assert.Contains(Flatten(errors), e => e.Path?.Replace("#/", string.Empty, StringComparison.Ordinal) == path);
    }

    public static TheoryData<string, string> WholeNumbersAtTheirBounds()
    {
        var rows = new TheoryData<string, string>();
        foreach (var setting in PresetSettings.All.Where(s => s.Type == typeof(int) && s.Range is not null))
        {
            var bounds = new[] { (int)setting.Range!.Min - 1, (int)setting.Range.Min }.Concat(setting.Range.Max is int max ? [max, max + 1] : []);
            foreach (var bound in bounds)
            {
                rows.Add(setting.Key, bound.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return rows;
    }

    // appsettings.json may quote a number ("MaxHedgedAttempts": "3"), as the configuration reads every value as text.
    [Theory]
    [MemberData(nameof(WholeNumbersAtTheirBounds))]
    public async Task WholeNumberWrittenAsText_PassesTheSchemaExactlyWhenTheStartUpCheckAcceptsIt(string key, string value)
    {
        var section = ConfigurationSections.Build(($"Clients:github:{key}", value));
        var registrations = new PresetRegistrations { Configuration = section };
        registrations.Select("github", new PresetRegistration(ResiliencePresetNames.ReadOnlyApi, null));
        var names = key.Split(':');
        var json = $$"""{ "ResiliencePresets": { "Clients": { "github": { "{{names[0]}}": { "{{names[1]}}": "{{value}}" } } } } }""";

        var startUp = new PresetResolver(registrations).ValidateAll();
        var schema = (await Schema()).Validate(json);

        Assert.Equal(startUp.Count == 0, schema.Count == 0);
    }

    [Fact]
    public async Task Schema_NamesEverySettingTheOptionsHave()
    {
        var schema = await Schema();
        var preset = schema.Definitions["preset"].ActualSchema.Properties.Keys;
        var client = schema.Definitions["client"].ActualSchema.Properties.Keys;

        // BasedOn is a key of a preset's section only, not an option.
        Assert.Equal(SettingNames(typeof(ResiliencePresetOptions)).Append("BasedOn").Order(), preset.Order());
        Assert.Equal(SettingNames(typeof(ResiliencePresetOptions)).Order(), client.Order());
        Assert.Equal(SettingNames(typeof(ResiliencePresetRetryOptions)).Order(), schema.Definitions["retry"].ActualSchema.Properties.Keys.Order());
        Assert.Equal(SettingNames(typeof(ResiliencePresetCircuitBreakerOptions)).Order(), schema.Definitions["circuitBreaker"].ActualSchema.Properties.Keys.Order());
        Assert.Equal(SettingNames(typeof(IdempotencyKeyOptions)).Order(), schema.Definitions["idempotency"].ActualSchema.Properties.Keys.Order());
        Assert.Equal(SettingNames(typeof(ResiliencePresetRetryBudgetOptions)).Order(), schema.Definitions["retryBudget"].ActualSchema.Properties.Keys.Order());
        Assert.Equal(SettingNames(typeof(ResiliencePresetRateLimitOptions)).Order(), schema.Definitions["rateLimit"].ActualSchema.Properties.Keys.Order());
        Assert.Equal(SettingNames(typeof(ResiliencePresetFallbackOptions)).Order(), schema.Definitions["fallback"].ActualSchema.Properties.Keys.Order());
        Assert.Equal(SettingNames(typeof(ResiliencePresetHedgingOptions)).Order(), schema.Definitions["hedging"].ActualSchema.Properties.Keys.Order());
        Assert.Equal(SettingNames(typeof(ResiliencePresetSharedOptions)).Order(), schema.Definitions["shared"].ActualSchema.Properties.Keys.Order());
    }

    // Regression: the schema took "00:30" (which the start-up check refuses, as it would mean thirty minutes) and
    // "24:00:00" (twenty-four days), and refused Retry(02), which the start-up check reads as Retry(2).
    [Theory]
    [InlineData("Retry:MaxRetryAfter", "00:00:30")]
    [InlineData("Retry:MaxRetryAfter", "0:0:30")]
    [InlineData("Retry:MaxRetryAfter", " 1:00:00 ")]
    [InlineData("Retry:MaxRetryAfter", "23:59:59.9999999")]
    [InlineData("Retry:MaxRetryAfter", "1.00:00:00")]
    [InlineData("Retry:MaxRetryAfter", "00:30")]
    [InlineData("Retry:MaxRetryAfter", "1.00:00")]
    [InlineData("Retry:MaxRetryAfter", "24:00:00")]
    [InlineData("Retry:MaxRetryAfter", "00:60:00")]
    [InlineData("Retry:MaxRetryAfter", "00:00:60")]
    [InlineData("Retry:MaxRetryAfter", "0:0:0:10")]
    [InlineData("Retry:MaxRetryAfter", "00:00:30.12345678")]
    [InlineData("Retry:MaxRetryAfter", "-00:00:01")]
    [InlineData("Retry:MaxRetryAfter", "30")]
    [InlineData("StatusCodes:429", "Retry(02)")]
    [InlineData("StatusCodes:429", "Retry(0)")]
    [InlineData("StatusCodes:429", "retry")]
    [InlineData("StatusCodes:429", "Retry( 2 )")]
    [InlineData("StatusCodes:0429", "Retry")]
    [InlineData("StatusCodes:99", "Retry")]
    [InlineData("StatusCodes:600", "Retry")]
    [InlineData("Methods:get", "never")]
    [InlineData("Methods:GE T", "Never")]
    [InlineData("Methods:123", "Never")]
    [InlineData("Methods:POST", "+1")]
    [InlineData("Methods:POST", "1")]
    [InlineData("Retry:MaxRetryAfter", "0.00:00:30")]
    [InlineData("Retry:MaxRetryAfter", "\t00:00:30")]
    [InlineData("Retry:MaxRetryAfter", "+00:00:30")]
    [InlineData("CircuitBreaker:FailureRatio", "1.")]
    [InlineData("CircuitBreaker:Enabled", " TRUE ")]
    public async Task Value_PassesTheSchemaExactlyWhenTheStartUpCheckAcceptsIt(string key, string value)
    {
        var section = ConfigurationSections.Build(($"Clients:github:{key}", value));
        var registrations = new PresetRegistrations { Configuration = section };
        registrations.Select("github", new PresetRegistration(ResiliencePresetNames.ReadOnlyApi, null));
        var names = key.Split(':');
        var json = $$"""{ "ResiliencePresets": { "Clients": { "github": { "{{names[0]}}": { "{{names[1]}}": {{System.Text.Json.JsonSerializer.Serialize(value)}} } } } } }""";

        var startUp = new PresetResolver(registrations).ValidateAll();
        var schema = (await Schema()).Validate(json);

        Assert.Equal(startUp.Count == 0, schema.Count == 0);
    }

    private static Task<JsonSchema> Schema() => JsonSchema.FromFileAsync(Path.Combine(Root, "docs", "resiliencepresets.schema.json"));

    private static IEnumerable<string> SettingNames(Type options)
        => options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);

    private static IEnumerable<NJsonSchema.Validation.ValidationError> Flatten(IEnumerable<NJsonSchema.Validation.ValidationError> errors)
        => errors.SelectMany(e => e is NJsonSchema.Validation.ChildSchemaValidationError child
            ? new[] { e }.Concat(child.Errors.Values.SelectMany(Flatten))
            : [e]);
}
