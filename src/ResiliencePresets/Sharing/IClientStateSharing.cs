namespace ResiliencePresets;

/// <summary>
/// Connects a client to the state it shares with other processes. Registered by the ResiliencePresets.Redis package;
/// without it no client shares anything, and every client runs on its own state alone.
/// </summary>
internal interface IClientStateSharing
{
    /// <summary>
    /// Joins <paramref name="client"/> to the state shared under the preset's <c>Shared</c> settings, called on every
    /// pipeline build; returns <see langword="null"/> when the preset does not share. Never blocks and never throws:
    /// the shared side learns and writes in the background, and extends the pauses of <see cref="ClientRuntime.Scopes"/> itself when
    /// another process was paused.
    /// </summary>
    ISharedClientState? Join(CompiledPreset preset, ClientRuntime client);
}
