using Microsoft.Extensions.DependencyInjection;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// One way of making an <see cref="HttpClient"/> resilient, run through the same workload as the others.
/// </summary>
/// <param name="Name">The name <c>--preset</c> takes.</param>
/// <param name="Description">What the setup does, in a few words.</param>
/// <param name="Configure">Adds the setup's handlers to the client.</param>
public sealed record ClientSetup(string Name, string Description, Action<IHttpClientBuilder> Configure)
{
    /// <summary>Returns the name of the setup's <see cref="HttpClient"/> for one API, the key of its section under <c>ResiliencePresets:Clients</c>.</summary>
    public string ClientName(DemoApi api) => $"{Name}-{api.ToString().ToLowerInvariant()}";

    /// <summary>Gets the names of the setup's clients, one per API.</summary>
    public IReadOnlyList<string> ClientNames => [.. Enum.GetValues<DemoApi>().Select(ClientName)];

    /// <summary>Gets the API key the setup sends, which the server counts its quota and its ledger by.</summary>
    public string ApiKey => $"demo-key-{Name}";
}
