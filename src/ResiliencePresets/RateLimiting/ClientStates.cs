using System.Collections.Concurrent;

namespace ResiliencePresets;

/// <summary>
/// Holds each named client's <see cref="ClientState"/> for the life of the service provider.
/// </summary>
internal sealed class ClientStates : IDisposable
{
    private readonly ConcurrentDictionary<string, ClientState> _states = new(StringComparer.Ordinal);

    public ClientState For(string clientName) => _states.GetOrAdd(clientName, _ => new ClientState());

    /// <summary>Gets every client that has sent through a preset, with its state.</summary>
    public IEnumerable<KeyValuePair<string, ClientState>> All => _states;

    public void Dispose()
    {
        foreach (var state in _states.Values)
        {
            state.Dispose();
        }
    }
}
