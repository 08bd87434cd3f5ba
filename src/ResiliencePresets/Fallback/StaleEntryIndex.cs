namespace ResiliencePresets;

/// <summary>
/// The keys a client has stored, least recently stored last, so that the client never keeps more than
/// <c>Fallback:MaxEntries</c> responses: adding one past the bound names the oldest to remove.
/// </summary>
internal sealed class StaleEntryIndex
{
    private readonly Dictionary<string, LinkedListNode<string>> _nodes = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _nodes.Count;
            }
        }
    }

    /// <summary>Records <paramref name="key"/> as the most recently stored, and returns the keys that fall out of the bound.</summary>
    public List<string>? Add(string key, int capacity)
    {
        lock (_lock)
        {
            if (_nodes.TryGetValue(key, out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
            }
            else
            {
                _nodes[key] = _order.AddFirst(key);
            }

            List<string>? evicted = null;
            while (_nodes.Count > capacity && _order.Last is { } oldest)
            {
                _order.RemoveLast();
                _nodes.Remove(oldest.Value);
                (evicted ??= []).Add(oldest.Value);
            }

            return evicted;
        }
    }

    public bool Remove(string key)
    {
        lock (_lock)
        {
            if (!_nodes.Remove(key, out var node))
            {
                return false;
            }

            _order.Remove(node);
            return true;
        }
    }
}
