using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ResiliencePresets;

/// <summary>
/// Computes a client's final options: the built-in preset at the root of the <c>BasedOn</c> chain, each configured
/// preset in the chain, the client's own section, then code overrides; and validates the result.
/// </summary>
internal sealed class PresetResolver
{
    private const string PresetsKey = ConfigurationLayout.PresetsKey;
    private const string ClientsKey = ConfigurationLayout.ClientsKey;

    private readonly PresetRegistrations _registrations;

    /// <summary>Resolves against the live configuration section registered by <c>AddResiliencePresets</c>.</summary>
    public PresetResolver(PresetRegistrations registrations)
        : this(registrations, registrations.Configuration)
    {
    }

    /// <summary>Resolves against <paramref name="configuration"/>, such as a frozen copy of the section.</summary>
    public PresetResolver(PresetRegistrations registrations, IConfiguration? configuration)
    {
        _registrations = registrations;
        Configuration = configuration;
    }

    /// <summary>Gets the <c>ResiliencePresets</c> section this resolver reads; <see langword="null"/> without one.</summary>
    public IConfiguration? Configuration { get; }

    /// <summary>
    /// Resolves a registered client's preset.
    /// </summary>
    /// <exception cref="OptionsValidationException">The preset or its configuration is invalid; every problem is listed.</exception>
    public CompiledPreset Resolve(string clientName)
    {
        var registration = _registrations.For(clientName)
            ?? throw new InvalidOperationException($"No resilience preset was registered for the HttpClient '{clientName}'.");
        return Resolve(clientName, registration, ClientSection(clientName));
    }

    /// <summary>
    /// Validates everything that is registered or configured, and returns every problem found.
    /// </summary>
    public List<string> ValidateAll()
    {
        var failures = ValidateLayout();
        foreach (var clientName in _registrations.ClientNames)
        {
            Collect(failures, () => Resolve(clientName));
        }

        foreach (var preset in PresetSections().Where(ConfigurationLayout.IsSection))
        {
            Collect(failures, () => Resolve(clientName: null, new PresetRegistration(preset.Key, null), clientSection: null));
        }

        // With ConfigureHttpClientDefaults every client has a preset, whatever its name.
        if (_registrations.Default is { } registration)
        {
            foreach (var client in UnmatchedClientSections())
            {
                Collect(failures, () => Resolve(client.Key, registration, client));
            }
        }

        return failures.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Returns the problems no single client's settings show: misplaced sections and values, and client sections that
    /// match no client with a preset.
    /// </summary>
    public List<string> ValidateLayout()
    {
        var failures = ConfigurationLayout.Check(Configuration, RootPath);
        if (_registrations.Default is null)
        {
            failures.AddRange(UnmatchedClientSections().Select(UnmatchedClientMessage));
        }

        return failures;
    }

    /// <summary>
    /// Returns the names of every preset a client can use: the built-in ones, then those defined in configuration.
    /// </summary>
    public IEnumerable<string> KnownPresetNames()
        => BuiltInPresets.Names.Concat(PresetSections().Select(s => s.Key).Where(name => !BuiltInPresets.Contains(name)));

    /// <summary>
    /// Returns whether a preset name is known now. Built-in names always are; configured ones only once the
    /// configuration is registered.
    /// </summary>
    public bool IsKnown(string presetName) => BuiltInPresets.Contains(presetName) || PresetSection(presetName) is not null;

    private CompiledPreset Resolve(string? clientName, PresetRegistration registration, IConfigurationSection? clientSection)
    {
        var failures = new List<string>();
        var rejectedKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var layers = new List<IConfigurationSection>();
        var options = BuildPreset(registration.PresetName, layers, failures, rejectedKeys);
        if (options is not null)
        {
            if (clientSection is not null)
            {
                PresetConfigurationReader.Apply(clientSection, options, allowBasedOn: false, failures, rejectedKeys);
                layers.Add(clientSection);
            }

            if (!Configure(registration, options, clientName, failures))
            {
                throw new PresetValidationException(clientName ?? registration.PresetName, failures);
            }

            foreach (var problem in ResiliencePresetOptionsValidator.Validate(options))
            {
                // A value the configuration wrote but that could not be read is reported once, as unreadable; the
                // value left in its place is not the user's and is not reported again.
                if (rejectedKeys.Contains(problem.Key) || (problem.Counterpart is { } counterpart && rejectedKeys.Contains(counterpart.Key)))
                {
                    continue;
                }

                // A conflict with a default is reported at the setting the configuration changed.
                var reported = problem.Counterpart is { } other && SettingLayer(problem.Key, layers) is null && SettingLayer(other.Key, layers) is not null
                    ? other
                    : problem;
                failures.Add(reported.Describe(Locate(reported.Key, layers, clientName, registration)));
            }
        }

        if (failures.Count > 0)
        {
            throw new PresetValidationException(clientName ?? registration.PresetName, failures);
        }

        return new CompiledPreset(registration.PresetName, clientName ?? string.Empty, options!);
    }

    // The code runs again on every reload, after the new configuration; what it throws is one more problem, so that a
    // reload keeps the last good settings instead of failing with the exception on the thread that reloaded.
    private static bool Configure(PresetRegistration registration, ResiliencePresetOptions options, string? clientName, List<string> failures)
    {
        try
        {
            registration.Configure?.Invoke(options);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            failures.Add($"The code given to AddResiliencePreset for the HttpClient '{clientName}' threw {e.GetType().Name}: {e.Message.TrimEnd('.')}.");
            return false;
        }
    }

    private ResiliencePresetOptions? BuildPreset(string presetName, List<IConfigurationSection> layers, List<string> failures, ISet<string> rejectedKeys)
    {
        var chain = new List<IConfigurationSection>();
        var visited = new List<string>();
        var name = presetName;
        while (true)
        {
            if (visited.Contains(name, StringComparer.Ordinal))
            {
                failures.Add($"{chain[0].Path}:BasedOn forms a cycle: {string.Join(" → ", visited.Append(name))}; a preset must lead back to a built-in one ({string.Join(", ", BuiltInPresets.Names)}).");
                return null;
            }

            visited.Add(name);
            var section = PresetSection(name);
            if (section is null)
            {
                if (BuiltInPresets.Contains(name))
                {
                    break;
                }

                failures.Add(visited.Count == 1
                    ? UnknownPresetMessage(name)
                    : $"{chain[^1].Path}:BasedOn is '{name}'; it must name a known preset: {string.Join(", ", Candidates(visited))}.");
                return null;
            }

            chain.Add(section);
            var basedOn = section[ConfigurationLayout.BasedOnKey];
            if (!string.IsNullOrWhiteSpace(basedOn))
            {
                name = basedOn.Trim();
            }
            else if (BuiltInPresets.Contains(name))
            {
                break;
            }
            else
            {
                // Presets:readonlyapi is meant as the built-in ReadOnlyApi far more often than as a new preset.
                var builtIn = BuiltInPresets.Names.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
                failures.Add(builtIn is not null
                    ? $"{section.Path}:BasedOn is missing; {name} is not the built-in preset {builtIn}, as preset names are case-sensitive: write {builtIn} to change the built-in preset, or give {name} a BasedOn."
                    : $"{section.Path}:BasedOn is missing; a preset defined in configuration must name the preset it starts from: {string.Join(", ", Candidates(visited))}.");
                return null;
            }
        }

        var options = BuiltInPresets.Create(name);
        for (var i = chain.Count - 1; i >= 0; i--)
        {
            PresetConfigurationReader.Apply(chain[i], options, allowBasedOn: true, failures, rejectedKeys);
            layers.Add(chain[i]);
        }

        return options;
    }

    // The presets a BasedOn in this chain may name: none of the chain's own, which would form a cycle.
    private IEnumerable<string> Candidates(List<string> chain) => KnownPresetNames().Where(n => !chain.Contains(n, StringComparer.Ordinal));

    internal string UnknownPresetMessage(string name)
        => $"The resilience preset '{name}' is not known. Known presets: {string.Join(", ", KnownPresetNames())}. Names are case-sensitive; a new preset is defined under {RootPath}:{PresetsKey} with BasedOn.";

    private string RootPath => Configuration is IConfigurationSection section ? section.Path : "ResiliencePresets";

    // A problem is reported where the value was set: the last configuration layer that sets it, or else the code override.
    private static string Locate(string key, List<IConfigurationSection> layers, string? clientName, PresetRegistration registration)
    {
        if (SettingLayer(key, layers) is { } layer)
        {
            return $"{layer.Path}:{key}";
        }

        return registration.Configure is not null
            ? $"{key} (set in code by AddResiliencePreset for the HttpClient '{clientName}')"
            : $"{key} of the preset {registration.PresetName}";
    }

    // The last configuration layer that sets a key, if any.
    private static IConfigurationSection? SettingLayer(string key, List<IConfigurationSection> layers)
    {
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            if (layers[i].GetSection(key).Value is not null)
            {
                return layers[i];
            }
        }

        return null;
    }

    private IConfigurationSection? PresetSection(string name)
        => PresetSections().FirstOrDefault(s => string.Equals(s.Key, name, StringComparison.Ordinal));

    private IEnumerable<IConfigurationSection> PresetSections()
        => Configuration?.GetSection(PresetsKey).GetChildren() ?? [];

    private IEnumerable<IConfigurationSection> ClientSections()
        => Configuration?.GetSection(ClientsKey).GetChildren() ?? [];

    private IConfigurationSection? ClientSection(string clientName)
        => ClientSections().FirstOrDefault(s => ClientNames.Match(clientName, s.Key) && ConfigurationLayout.IsSection(s))
            ?? (Configuration is null ? null : ClientNames.NestedSection(Configuration.GetSection(ClientsKey), clientName));

    private IEnumerable<IConfigurationSection> UnmatchedClientSections()
        => ClientNames.Unmatched(ClientSections().Where(ConfigurationLayout.IsSection), _registrations.ClientNames);

    private string UnmatchedClientMessage(IConfigurationSection client)
    {
        var names = _registrations.ClientNames.Order(StringComparer.Ordinal).ToList();
        var known = names.Count == 0 ? "no HttpClient has a preset yet" : $"the clients with a preset are {string.Join(", ", names)}";
        return $"{client.Path} names no HttpClient that has a resilience preset; {known}. A client's name is the name given to AddHttpClient, or a typed client's type name without namespace.";
    }

    private static void Collect(List<string> failures, Action resolve)
    {
        try
        {
            resolve();
        }
        catch (OptionsValidationException e)
        {
            failures.AddRange(e.Failures);
        }
    }
}
