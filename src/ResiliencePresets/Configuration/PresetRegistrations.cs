using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ResiliencePresets;

/// <summary>
/// What was registered: which preset each client uses, code overrides, and the configuration section. One instance per
/// service collection, shared by all registration calls.
/// </summary>
internal sealed class PresetRegistrations
{
    private readonly Dictionary<string, PresetRegistration> _clients = new(StringComparer.Ordinal);

    /// <summary>Gets or sets the <c>ResiliencePresets</c> section, when <c>AddResiliencePresets</c> was called.</summary>
    public IConfiguration? Configuration { get; set; }

    /// <summary>Gets or sets the preset every client gets from <c>ConfigureHttpClientDefaults</c>, if any.</summary>
    public PresetRegistration? Default { get; set; }

    public IReadOnlyCollection<string> ClientNames => _clients.Keys;

    public static PresetRegistrations GetOrAdd(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(PresetRegistrations) && !d.IsKeyedService);
        if (existing?.ImplementationInstance is PresetRegistrations registrations)
        {
            return registrations;
        }

        registrations = new PresetRegistrations();
        services.AddSingleton(registrations);
        return registrations;
    }

    /// <summary>
    /// Records a client's preset; a later call for the same client replaces an earlier one, and a named client's own
    /// preset wins over the default one whatever the order of the calls.
    /// </summary>
    public void Select(string? clientName, PresetRegistration registration)
    {
        if (clientName is null)
        {
            Default = registration;
        }
        else
        {
            _clients[clientName] = registration;
        }
    }

    public PresetRegistration? For(string clientName)
        => _clients.TryGetValue(clientName, out var registration) ? registration : Default;
}
