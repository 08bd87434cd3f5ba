using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace ResiliencePresets;

/// <summary>
/// Holds each client's current preset and swaps it when the configuration changes. A change that fails validation is
/// logged and ignored, so the last good settings stay in force until a later change fixes it, for every client: those
/// that have sent requests, those registered but not created yet, and those that get their preset from
/// <c>ConfigureHttpClientDefaults</c>.
/// </summary>
/// <remarks>
/// Settings are resolved from frozen copies of the configuration. A client that has not been created yet is resolved
/// from the current copy when it is valid for it, and otherwise from the last copy that was valid as a whole.
/// </remarks>
internal sealed class CompiledPresetStore : IDisposable
{
    private readonly PresetRegistrations _registrations;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    // The rejection last logged per client and for the layout: a reload that leaves one unchanged does not log it again.
    private readonly ConcurrentDictionary<string, string> _rejected = new(StringComparer.Ordinal);
    private string? _layoutRejected;
    private readonly IDisposable? _subscription;
    private readonly object _reloadLock = new();
    private PresetResolver _current;
    private PresetResolver _lastValid;

    public CompiledPresetStore(PresetRegistrations registrations, ILoggerFactory loggerFactory)
    {
        _registrations = registrations;
        _logger = loggerFactory.CreateLogger("ResiliencePresets");
        _current = _lastValid = new PresetResolver(registrations, ConfigurationSnapshot.Freeze(registrations.Configuration));
        if (registrations.Configuration is { } configuration)
        {
            _subscription = ChangeToken.OnChange(configuration.GetReloadToken, Reload);
        }
    }

    /// <summary>
    /// Returns the client's current preset and a token that is cancelled when it is replaced.
    /// </summary>
    /// <exception cref="OptionsValidationException">The client's preset is invalid, and was never valid since start.</exception>
    public (CompiledPreset Preset, CancellationToken Changed) Get(string clientName)
    {
        var entry = _entries.GetOrAdd(clientName, name => new Entry(ResolveNew(name)));
        return (entry.Preset, entry.Changed.Token);
    }

    /// <summary>
    /// Validates the settings the store holds, at start-up: the copy that passed is the one kept as the last good
    /// settings, so that an edit made before any client was created cannot replace them with settings never validated.
    /// </summary>
    public List<string> ValidateAll() => Volatile.Read(ref _current).ValidateAll();

    public void Dispose()
    {
        _subscription?.Dispose();
        foreach (var entry in _entries.Values)
        {
            entry.Changed.Dispose();
        }
    }

    private CompiledPreset ResolveNew(string clientName)
    {
        var (current, lastValid) = (Volatile.Read(ref _current), Volatile.Read(ref _lastValid));
        try
        {
            return current.Resolve(clientName);
        }
        catch (OptionsValidationException e) when (!ReferenceEquals(current, lastValid))
        {
            Rejected(clientName, e.Message);
            return lastValid.Resolve(clientName);
        }
    }

    private void Reload()
    {
        lock (_reloadLock)
        {
            var previous = _current;
            var next = new PresetResolver(_registrations, ConfigurationSnapshot.Freeze(_registrations.Configuration));

            // A registered client that has not been created yet keeps what was in force for it until now.
            foreach (var clientName in _registrations.ClientNames.Where(name => !_entries.ContainsKey(name)))
            {
                try
                {
                    _entries.TryAdd(clientName, new Entry(previous.Resolve(clientName)));
                }
                catch (OptionsValidationException)
                {
                    // Never valid: it is resolved, and rejected, when it is first created.
                }
            }

            foreach (var (clientName, current) in _entries)
            {
                CompiledPreset resolved;
                try
                {
                    resolved = next.Resolve(clientName);
                }
                catch (OptionsValidationException e)
                {
                    Rejected(clientName, e.Message);
                    continue;
                }

                _rejected.TryRemove(clientName, out _);

                if (resolved.SettingsText == current.Preset.SettingsText)
                {
                    continue;
                }

                _entries[clientName] = new Entry(resolved);
                current.Changed.Cancel();
                Log.ConfigurationApplied(_logger, clientName);
            }

            var layout = string.Join(" ", next.ValidateLayout());
            if (layout.Length > 0 && layout != _layoutRejected)
            {
                Log.ConfigurationLayoutRejected(_logger, layout);
            }

            _layoutRejected = layout.Length > 0 ? layout : null;

            var failures = next.ValidateAll();
            Volatile.Write(ref _current, next);
            if (failures.Count == 0)
            {
                Volatile.Write(ref _lastValid, next);
            }
        }
    }

    private void Rejected(string clientName, string errors)
    {
        if (!_rejected.TryGetValue(clientName, out var logged) || logged != errors)
        {
            _rejected[clientName] = errors;
            Log.ConfigurationRejected(_logger, clientName, errors);
        }
    }

    private sealed class Entry(CompiledPreset preset)
    {
        public CompiledPreset Preset { get; } = preset;

        public CancellationTokenSource Changed { get; } = new();
    }
}
