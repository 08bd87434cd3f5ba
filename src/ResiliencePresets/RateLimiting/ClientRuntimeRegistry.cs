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
    /// <remarks>A client's state is made when its first handler is built (<see cref="HttpClient"/> created), a moment
    /// that says nothing about its server; it is reported from its first request on (<see cref="ClientRuntime.HasSent"/>).</remarks>
    public IEnumerable<KeyValuePair<string, ClientRuntime>> All => _states.Where(static s => s.Value.HasSent);

    public void Dispose()
    {
        foreach (var state in _states.Values)
        {
            state.Dispose();
        }
    }
}
