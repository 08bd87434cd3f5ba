using Microsoft.Extensions.Options;

namespace ResiliencePresets.Tests.Configuration;

public sealed class PresetResolverTests
{
    private const string Builtins = "ReadOnlyApi, IdempotentWrite, PaymentWithIdempotencyKey";

    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi, 4, 10)]
    [InlineData(ResiliencePresetNames.IdempotentWrite, 2, 10)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey, 3, 30)]
    public void Resolve_BuiltInPresetWithoutConfiguration_IsItsDefaults(string presetName, int retries, int attemptSeconds)
    {
        var preset = Resolver(null, ("github", presetName, null)).Resolve("github");

        Assert.Equal(presetName, preset.PresetName);
        Assert.Equal("github", preset.ClientName);
        Assert.Equal(retries, preset.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(attemptSeconds), preset.AttemptTimeout);
    }

    [Fact]
    public void Resolve_Layers_ApplyInOrderBuiltInThenPresetsThenClientThenCode()
    {
        var configuration = ConfigurationSections.Build(
            ("Presets:IdempotentWrite:Retry:MaxRetryAttempts", "5"),
            ("Presets:IdempotentWrite:AttemptTimeout", "00:00:04"),
            ("Presets:IdempotentWrite:TotalTimeout", "00:00:40"),
            ("Clients:github:AttemptTimeout", "00:00:06"),
            ("Clients:github:TotalTimeout", "00:00:50"));

        var preset = Resolver(configuration, ("github", ResiliencePresetNames.IdempotentWrite, o => o.TotalTimeout = TimeSpan.FromSeconds(55))).Resolve("github");

        Assert.Equal(5, preset.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(6), preset.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(55), preset.TotalTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), preset.MaxDelay);
        Assert.Equal(MethodRetryRule.WithIdempotencyKey, preset.Methods.RuleFor(HttpMethod.Post));
    }

    [Fact]
    public void Resolve_ClientSectionInAnotherCase_StillApplies()
    {
        var configuration = ConfigurationSections.Build(("Clients:GitHub:Retry:MaxRetryAttempts", "1"));

        Assert.Equal(1, Resolver(configuration, ("github", ResiliencePresetNames.ReadOnlyApi, null)).Resolve("github").MaxRetryAttempts);
    }

    [Fact]
    public void Resolve_BasedOnChain_StartsFromTheBuiltInAtItsRootAndAppliesEachLinkOutward()
    {
        var configuration = ConfigurationSections.Build(
            ("Presets:Base:BasedOn", "PaymentWithIdempotencyKey"),
            ("Presets:Base:Retry:MaxRetryAttempts", "1"),
            ("Presets:Base:StatusCodes:409", "Never"),
            ("Presets:Child:BasedOn", " Base "),
            ("Presets:Child:Retry:MaxRetryAttempts", "6"),
            ("Presets:Child:Methods:PUT", "Never"));

        var preset = Resolver(configuration, ("stripe", "Child", null)).Resolve("stripe");

        Assert.Equal("Child", preset.PresetName);
        Assert.Equal(6, preset.MaxRetryAttempts);
        Assert.True(preset.AddMissingIdempotencyKey);
        Assert.Equal(StatusCodeRule.Never, preset.Classifier.GetRule(409));
        Assert.Equal(MethodRetryRule.Never, preset.Methods.RuleFor(HttpMethod.Put));
        Assert.Equal(TimeSpan.FromSeconds(30), preset.AttemptTimeout);
    }

    [Fact]
    public void Resolve_BuiltInPresetChangedInConfiguration_NeedsNoBasedOn()
    {
        var configuration = ConfigurationSections.Build(("Presets:ReadOnlyApi:Retry:MaxRetryAttempts", "7"));

        Assert.Equal(7, Resolver(configuration, ("github", ResiliencePresetNames.ReadOnlyApi, null)).Resolve("github").MaxRetryAttempts);
    }

    [Theory]
    [InlineData("A", "ResiliencePresets:Presets:A:BasedOn forms a cycle: A → B → C → A; a preset must lead back to a built-in one (" + Builtins + ").")]
    [InlineData("B", "ResiliencePresets:Presets:B:BasedOn forms a cycle: B → C → A → B; a preset must lead back to a built-in one (" + Builtins + ").")]
    public void Resolve_BasedOnCycle_IsReportedWithTheWholeCycle(string preset, string expected)
    {
        var configuration = ConfigurationSections.Build(("Presets:A:BasedOn", "B"), ("Presets:B:BasedOn", "C"), ("Presets:C:BasedOn", "A"));

        Assert.Equal([expected], Failures(Resolver(configuration, ("api", preset, null)), "api"));
    }

    [Fact]
    public void Resolve_PresetBasedOnItself_IsACycle()
    {
        var configuration = ConfigurationSections.Build(("Presets:Mine:BasedOn", "Mine"));

        Assert.Equal(
            [$"ResiliencePresets:Presets:Mine:BasedOn forms a cycle: Mine → Mine; a preset must lead back to a built-in one ({Builtins})."],
            Failures(Resolver(configuration, ("api", "Mine", null)), "api"));
    }

    [Fact]
    public void Resolve_BasedOnAnUnknownPreset_NamesTheBadLinkAndTheKnownPresets()
    {
        var configuration = ConfigurationSections.Build(("Presets:Mine:BasedOn", "Middle"), ("Presets:Middle:BasedOn", "readonlyapi"));

        Assert.Equal(
            [$"ResiliencePresets:Presets:Middle:BasedOn is 'readonlyapi'; it must name a known preset: {Builtins}."],
            Failures(Resolver(configuration, ("api", "Mine", null)), "api"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Resolve_ConfiguredPresetWithoutBasedOn_IsRejected(string? basedOn)
    {
        var configuration = ConfigurationSections.Build(("Presets:Mine:BasedOn", basedOn), ("Presets:Mine:Retry:MaxRetryAttempts", "1"));

        Assert.Equal(
            [$"ResiliencePresets:Presets:Mine:BasedOn is missing; a preset defined in configuration must name the preset it starts from: {Builtins}."],
            Failures(Resolver(configuration, ("api", "Mine", null)), "api"));
    }

    // Regression: the presets offered for BasedOn listed the preset itself, and the presets of its own chain, each of
    // which would be a cycle.
    [Fact]
    public void Resolve_ConfiguredPresetWithoutBasedOn_OffersEveryOtherPresetButNotItsOwnChain()
    {
        var configuration = ConfigurationSections.Build(
            ("Presets:Mine:BasedOn", "Middle"), ("Presets:Middle:Retry:MaxRetryAttempts", "1"), ("Presets:Other:BasedOn", "ReadOnlyApi"));

        Assert.Equal(
            [$"ResiliencePresets:Presets:Middle:BasedOn is missing; a preset defined in configuration must name the preset it starts from: {Builtins}, Other."],
            Failures(Resolver(configuration, ("api", "Mine", null)), "api"));
    }

    // Regression: Presets:readonlyapi was reported as a new preset without BasedOn, listing readonlyapi among the known
    // presets, without a word of the built-in preset it was meant to change.
    [Fact]
    public void ValidateAll_PresetSectionNamingABuiltInInAnotherCase_SaysPresetNamesAreCaseSensitive()
    {
        var configuration = ConfigurationSections.Build(("Presets:readonlyapi:Retry:MaxRetryAttempts", "1"));

        Assert.Equal(
            ["ResiliencePresets:Presets:readonlyapi:BasedOn is missing; readonlyapi is not the built-in preset ReadOnlyApi, as preset names are case-sensitive: write ReadOnlyApi to change the built-in preset, or give readonlyapi a BasedOn."],
            Resolver(configuration, ("api", ResiliencePresetNames.ReadOnlyApi, null)).ValidateAll());
    }

    [Theory]
    [InlineData("readonlyapi")]
    [InlineData("ReadOnly")]
    [InlineData("mine")]
    public void Resolve_UnknownPresetName_ListsTheKnownOnesAndSaysNamesAreCaseSensitive(string preset)
    {
        var configuration = ConfigurationSections.Build(("Presets:Mine:BasedOn", "ReadOnlyApi"));

        Assert.Equal(
            [$"The resilience preset '{preset}' is not known. Known presets: {Builtins}, Mine. Names are case-sensitive; a new preset is defined under ResiliencePresets:Presets with BasedOn."],
            Failures(Resolver(configuration, ("api", preset, null)), "api"));
    }

    [Fact]
    public void Resolve_UnknownPresetWithoutConfiguration_ListsTheBuiltInOnes()
    {
        Assert.Equal(
            [$"The resilience preset 'Fast' is not known. Known presets: {Builtins}. Names are case-sensitive; a new preset is defined under ResiliencePresets:Presets with BasedOn."],
            Failures(Resolver(null, ("api", "Fast", null)), "api"));
    }

    [Theory]
    [InlineData("Clients:github:Retry:MaxRetryAttempts", "-1", "ResiliencePresets:Clients:github:Retry:MaxRetryAttempts is -1; it must be between 0 and 10.")]
    [InlineData("Presets:ReadOnlyApi:Retry:MaxRetryAttempts", "20", "ResiliencePresets:Presets:ReadOnlyApi:Retry:MaxRetryAttempts is 20; it must be between 0 and 10.")]
    [InlineData("Clients:github:circuitbreaker:failureratio", "2", "ResiliencePresets:Clients:github:CircuitBreaker:FailureRatio is 2; it must be more than 0 and at most 1.")]
    [InlineData("Clients:github:Idempotency:HeaderName", "Idem Key", "ResiliencePresets:Clients:github:Idempotency:HeaderName is 'Idem Key'; it must be an HTTP header name, such as Idempotency-Key.")]
    [InlineData("Clients:github:AttemptTimeout", "00:05:00", "ResiliencePresets:Clients:github:AttemptTimeout is 00:05:00; it must be at most TotalTimeout (00:01:00).")]
    [InlineData("Clients:github:Retry:MaxDelay", "00:00:00.500", "ResiliencePresets:Clients:github:Retry:MaxDelay is 00:00:00.5000000; it must be at least Retry:BaseDelay (00:00:01).")]
    public void Resolve_OutOfRangeValue_IsReportedAtTheConfigurationPathThatSetIt(string key, string value, string expected)
    {
        var configuration = ConfigurationSections.Build((key, value));

        Assert.Equal([expected], Failures(Resolver(configuration, ("github", ResiliencePresetNames.ReadOnlyApi, null)), "github"));
    }

    [Fact]
    public void Resolve_ValueFromBothAPresetAndAClient_IsReportedAtTheClient()
    {
        var configuration = ConfigurationSections.Build(
            ("Presets:Mine:BasedOn", "ReadOnlyApi"),
            ("Presets:Mine:Retry:MaxRetryAttempts", "12"),
            ("Clients:github:Retry:MaxRetryAttempts", "13"));

        Assert.Equal(
            ["ResiliencePresets:Clients:github:Retry:MaxRetryAttempts is 13; it must be between 0 and 10."],
            Failures(Resolver(configuration, ("github", "Mine", null)), "github"));
    }

    [Fact]
    public void Resolve_OutOfRangeValueSetInCode_IsReportedAsSetInCode()
    {
        Assert.Equal(
            ["Retry:MaxRetryAttempts (set in code by AddResiliencePreset for the HttpClient 'github') is 11; it must be between 0 and 10."],
            Failures(Resolver(null, ("github", ResiliencePresetNames.ReadOnlyApi, o => o.Retry.MaxRetryAttempts = 11)), "github"));
    }

    [Fact]
    public void Resolve_ReaderAndValidatorProblems_AreReportedTogetherUnderTheClientsName()
    {
        var configuration = ConfigurationSections.Build(
            ("Clients:github:Retry:MaxRetryAttempts", "-3"),
            ("Clients:github:Retry:Jitter", "true"),
            ("Clients:github:AttemptTimeout", "10"));
        var resolver = Resolver(configuration, ("github", ResiliencePresetNames.ReadOnlyApi, null));

        var error = Assert.ThrowsAny<OptionsValidationException>(() => resolver.Resolve("github"));

        Assert.Equal("github", error.OptionsName);
        Assert.Equal(typeof(ResiliencePresetOptions), error.OptionsType);
        Assert.Equal(
            [
                "ResiliencePresets:Clients:github:AttemptTimeout is '10'; it must be a time span written as hh:mm:ss, such as 00:00:30.",
                "ResiliencePresets:Clients:github:Retry:Jitter is not a known setting; the settings under ResiliencePresets:Clients:github:Retry are MaxRetryAttempts, BaseDelay, MaxDelay, MaxRetryAfter.",
                "ResiliencePresets:Clients:github:Retry:MaxRetryAttempts is -3; it must be between 0 and 10.",
            ],
            error.Failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Resolve_ClientWithoutARegisteredPreset_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Resolver(null).Resolve("nobody"));

        Assert.Equal("No resilience preset was registered for the HttpClient 'nobody'.", error.Message);
    }

    [Fact]
    public void Resolve_ClientWithoutItsOwnPreset_UsesTheDefaultSelection()
    {
        var registrations = new PresetRegistrations();
        registrations.Select(null, new PresetRegistration(ResiliencePresetNames.IdempotentWrite, null));

        Assert.Equal(ResiliencePresetNames.IdempotentWrite, new PresetResolver(registrations).Resolve("any").PresetName);
    }

    [Fact]
    public void Resolve_SameConfigurationTwice_HasTheSameEffectiveSettingsAndAChangedValueChangesThem()
    {
        var first = Resolver(ConfigurationSections.Build(("Clients:github:Retry:MaxRetryAttempts", "1")), ("github", ResiliencePresetNames.ReadOnlyApi, null)).Resolve("github");
        var same = Resolver(ConfigurationSections.Build(("Clients:github:Retry:MaxRetryAttempts", "1")), ("github", ResiliencePresetNames.ReadOnlyApi, null)).Resolve("github");
        var changed = Resolver(ConfigurationSections.Build(("Clients:github:Retry:MaxRetryAttempts", "2")), ("github", ResiliencePresetNames.ReadOnlyApi, null)).Resolve("github");

        Assert.Equal(first.SettingsText, same.SettingsText);
        Assert.NotEqual(first.SettingsText, changed.SettingsText);
    }

    // Regression: the comparison was of configuration text, so an edit that changed nothing a client runs with rebuilt
    // its pipeline and closed its open breaker.
    [Theory]
    [InlineData("Clients:github:TotalTimeout", "01:00:00", "1:00:00")]
    [InlineData("Clients:github:TotalTimeout", "00:01:00", "00:01:00.000")]
    [InlineData("Presets:ReadOnlyApi:Retry:MaxRetryAttempts", "2", "3")]
    [InlineData("Clients:github:CircuitBreaker:FailureRatio", "0.5", "0.50")]
    [InlineData("Clients:github:StatusCodes:404", "Never", "never")]
    public void Resolve_EditThatChangesNoEffectiveSetting_KeepsTheEffectiveSettings(string key, string before, string after)
    {
        static CompiledPreset Resolve(string key, string value) => Resolver(
            ConfigurationSections.Build(("Clients:github:Retry:MaxRetryAttempts", "1"), (key, value)),
            ("github", ResiliencePresetNames.ReadOnlyApi, null)).Resolve("github");

        Assert.Equal(Resolve(key, before).SettingsText, Resolve(key, after).SettingsText);
    }

    [Fact]
    public void ValidateAll_ReportsRegisteredClientsUnusedPresetsAndUnregisteredClientSectionsOnce()
    {
        var configuration = ConfigurationSections.Build(
            ("Presets:Unused:BasedOn", "Nowhere"),
            ("Presets:Shared:BasedOn", "ReadOnlyApi"),
            ("Presets:Shared:Retry:MaxRetryAttempts", "99"),
            ("Clients:orphan:TotalTimeout", "00:00:00"));
        var resolver = Resolver(configuration, ("a", "Shared", null), ("b", "Shared", null));

        var failures = resolver.ValidateAll();

        Assert.Equal(
            [
                "ResiliencePresets:Clients:orphan names no HttpClient that has a resilience preset; the clients with a preset are a, b. A client's name is the name given to AddHttpClient, or a typed client's type name without namespace.",
                "ResiliencePresets:Presets:Shared:Retry:MaxRetryAttempts is 99; it must be between 0 and 10.",
                $"ResiliencePresets:Presets:Unused:BasedOn is 'Nowhere'; it must name a known preset: {Builtins}, Shared.",
            ],
            failures);
    }

    // Regression: a setting that conflicted with a default of the preset (MaxDelay below the default BaseDelay) was
    // reported as "Retry:BaseDelay of the preset ReadOnlyApi is 00:00:01", naming neither the client nor the path set.
    [Fact]
    public void ValidateAll_UnregisteredClientSettingBelowADefault_IsReportedAtThePathThatSetItNotAtTheDefault()
    {
        var configuration = ConfigurationSections.Build(("Clients:other:Retry:MaxDelay", "00:00:00.500"), ("Clients:github:Retry:MaxRetryAttempts", "1"));
        var registrations = new PresetRegistrations { Configuration = configuration };
        registrations.Select(null, new PresetRegistration(ResiliencePresetNames.ReadOnlyApi, null));
        registrations.Select("github", new PresetRegistration(ResiliencePresetNames.ReadOnlyApi, null));

        var failures = new PresetResolver(registrations).ValidateAll();

        Assert.Equal(["ResiliencePresets:Clients:other:Retry:MaxDelay is 00:00:00.5000000; it must be at least Retry:BaseDelay (00:00:01)."], failures);
    }

    // Regression: a client named with a colon could not be configured. Its section, written "api:v2" in JSON, is the
    // section v2 under api in .NET configuration; api was reported as naming no client, and the settings were ignored.
    [Fact]
    public void Resolve_ClientNameWithAColon_IsConfiguredByTheSectionAtThatPath()
    {
        var configuration = ConfigurationSections.Build(("Clients:api:v2:Retry:MaxRetryAttempts", "1"), ("Clients:API:V3:Retry:MaxRetryAttempts", "2"));
        var resolver = Resolver(configuration, ("api:v2", ResiliencePresetNames.ReadOnlyApi, null), ("api:v3", ResiliencePresetNames.ReadOnlyApi, null));

        Assert.Empty(resolver.ValidateAll());
        Assert.Equal(1, resolver.Resolve("api:v2").MaxRetryAttempts);
        Assert.Equal(2, resolver.Resolve("api:v3").MaxRetryAttempts);
    }

    [Fact]
    public void ValidateAll_SectionBesideAClientNameWithAColon_IsReportedAtItsFullPath()
    {
        var configuration = ConfigurationSections.Build(("Clients:api:v2:Retry:MaxRetryAttempts", "1"), ("Clients:api:v4:Retry:MaxRetryAttempts", "1"));

        var failures = Resolver(configuration, ("api:v2", ResiliencePresetNames.ReadOnlyApi, null)).ValidateAll();

        Assert.Equal(["ResiliencePresets:Clients:api:v4 names no HttpClient that has a resilience preset; the clients with a preset are api:v2. A client's name is the name given to AddHttpClient, or a typed client's type name without namespace."], failures);
    }

    [Fact]
    public void ValidateAll_EverythingValid_ReportsNothing()
    {
        var configuration = ConfigurationSections.Build(("Presets:Mine:BasedOn", "IdempotentWrite"), ("Clients:github:Retry:MaxRetryAttempts", "1"));

        Assert.Empty(Resolver(configuration, ("github", "Mine", null)).ValidateAll());
    }

    [Theory]
    [InlineData("ReadOnlyApi", true)]
    [InlineData("PaymentWithIdempotencyKey", true)]
    [InlineData("Mine", true)]
    [InlineData("mine", false)]
    [InlineData("readonlyapi", false)]
    [InlineData("Other", false)]
    public void IsKnown_PresetName_IsBuiltInOrConfiguredWithTheSameCase(string name, bool expected)
    {
        var resolver = Resolver(ConfigurationSections.Build(("Presets:Mine:BasedOn", "ReadOnlyApi"), ("Presets:ReadOnlyApi:Retry:MaxRetryAttempts", "1")));

        Assert.Equal(expected, resolver.IsKnown(name));
        Assert.Equal(["ReadOnlyApi", "IdempotentWrite", "PaymentWithIdempotencyKey", "Mine"], resolver.KnownPresetNames());
    }

    private static PresetResolver Resolver(Microsoft.Extensions.Configuration.IConfiguration? configuration, params (string Client, string Preset, Action<ResiliencePresetOptions>? Configure)[] clients)
    {
        var registrations = new PresetRegistrations { Configuration = configuration };
        foreach (var (client, preset, configure) in clients)
        {
            registrations.Select(client, new PresetRegistration(preset, configure));
        }

        return new PresetResolver(registrations);
    }

    private static List<string> Failures(PresetResolver resolver, string client)
        => Assert.ThrowsAny<OptionsValidationException>(() => resolver.Resolve(client)).Failures.ToList();
}
