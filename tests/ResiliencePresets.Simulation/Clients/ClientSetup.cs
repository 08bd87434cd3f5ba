using Microsoft.Extensions.DependencyInjection;

namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// One way of building the client under test: what the table calls it, and how its named client is set up.
/// </summary>
/// <param name="Name">The row's name in the results table.</param>
/// <param name="Configure">Adds the handlers to the named client.</param>
/// <param name="Settings">Configuration for <c>ResiliencePresets:Clients:{client}</c>, keyed below that section.</param>
/// <param name="Pushback">Whether the services of a tier chain answer with <c>UseResiliencePresetsPushback()</c>.</param>
public sealed record ClientSetup(string Name, Action<IHttpClientBuilder> Configure, IReadOnlyDictionary<string, string?>? Settings = null, bool Pushback = false)
{
    /// <summary>Returns this setup with a <see cref="WireCounter"/> added last, below its own handlers, so that
    /// <paramref name="log"/> sees every attempt as the server does.</summary>
    public ClientSetup CountedIn(WireLog log) => this with
    {
        Configure = b =>
        {
            Configure(b);
            b.AddHttpMessageHandler(() => new WireCounter(log));
        },
    };
}
