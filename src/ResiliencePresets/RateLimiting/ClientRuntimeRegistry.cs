using System.Collections.Concurrent;

namespace ResiliencePresets;

/// <summary>
/// Holds each named client's <see cref="ClientRuntime"/> for the life of the service provider.
/// </summary>
internal sealed class ClientRuntimeRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, ClientRuntime> _states = new(StringComparer.Ordinal);

    public ClientRuntime For(string clientName) => _states.GetOrAdd(clientName, _ => new ClientRuntime());

    /// <summary>Gets every client that has sent through a preset, with its state.</summary>
    public IEnumerable<KeyValuePair<string, ClientRuntime>> All => _states;

    public void Dispose()
    {
        foreach (var state in _states.Values)
        {
            state.Dispose();
        }
    }
}
