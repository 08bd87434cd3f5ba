using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// A service provider of its own for each setup, so that nothing a client learned (a pause, a budget, a pacing) carries
/// over to the next setup; the client comes from <see cref="IHttpClientFactory"/>, as in an application.
/// </summary>
public sealed class ClientHost : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _clientName;

    private ClientHost(ServiceProvider services, string clientName)
    {
        _services = services;
        _clientName = clientName;
    }

    /// <param name="clients">Each named client, its setup and the address it calls.</param>
    /// <param name="configureServices">Adds services beside the presets' own, such as their sharing through Redis.</param>
    public static ClientHost Create(IEnumerable<(string ClientName, ClientSetup Setup, Uri BaseAddress)> clients, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var list = clients.ToList();
        var settings = list.SelectMany(c => (c.Setup.Settings ?? new Dictionary<string, string?>())
            .Select(s => new KeyValuePair<string, string?>($"ResiliencePresets:Clients:{c.ClientName}:{s.Key}", s.Value)));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddResiliencePresets(configuration.GetSection("ResiliencePresets"));
        configureServices?.Invoke(services);
        foreach (var (clientName, setup, baseAddress) in list)
        {
            setup.Configure(services.AddHttpClient(clientName, c => c.BaseAddress = baseAddress));
        }

        return new ClientHost(services.BuildServiceProvider(), list[0].ClientName);
    }

    public static ClientHost Create(string clientName, ClientSetup setup, Uri baseAddress) => Create([(clientName, setup, baseAddress)]);

    /// <summary>Gets the first client the host was created with.</summary>
    public HttpClient Client() => Client(_clientName);

    public HttpClient Client(string clientName) => _services.GetRequiredService<IHttpClientFactory>().CreateClient(clientName);

    public void Dispose() => _services.Dispose();
}
