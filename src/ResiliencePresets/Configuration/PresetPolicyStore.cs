using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ResiliencePresets;

/// <summary>
/// Holds each client's current preset and swaps it when the configuration changes. A change that fails validation is
/// logged and ignored, so the last good settings stay in force until a later change fixes it.
/// </summary>
internal sealed class PresetPolicyStore : IDisposable
{
    private readonly PresetResolver _resolver;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IDisposable? _subscription;
    private readonly object _reloadLock = new();

    public PresetPolicyStore(PresetResolver resolver, PresetRegistrations registrations, ILoggerFactory loggerFactory)
    {
        _resolver = resolver;
        _logger = loggerFactory.CreateLogger("ResiliencePresets");
        if (registrations.Configuration is { } configuration)
        {
            _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
        }
    }

    /// <summary>
    /// Returns the client's current preset and a token that is cancelled when it is replaced.
    /// </summary>
    /// <exception cref="OptionsValidationException">The client's preset is invalid.</exception>
    public (PresetPolicy Policy, CancellationToken Changed) Get(string clientName)
    {
        var entry = _entries.GetOrAdd(clientName, name => new Entry(_resolver.Resolve(name)));
        return (entry.Preset.Policy, entry.Changed.Token);
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        foreach (var entry in _entries.Values)
        {
            entry.Changed.Dispose();
        }
    }

    private void Reload()
    {
        lock (_reloadLock)
        {
            foreach (var (clientName, current) in _entries)
            {
                ResolvedPreset resolved;
                try
                {
                    resolved = _resolver.Resolve(clientName);
                }
                catch (OptionsValidationException e)
                {
                    Log.ConfigurationRejected(_logger, clientName, e.Message);
                    continue;
                }

                if (resolved.Fingerprint == current.Preset.Fingerprint)
                {
                    continue;
                }

                _entries[clientName] = new Entry(resolved);
                current.Changed.Cancel();
                Log.ConfigurationApplied(_logger, clientName);
            }
        }
    }

    private sealed class Entry(ResolvedPreset preset)
    {
        public ResolvedPreset Preset { get; } = preset;

        public CancellationTokenSource Changed { get; } = new();
    }
}
