using Microsoft.Extensions.Options;

namespace ResiliencePresets;

/// <summary>
/// Validates every registered client and every configured preset when the host starts (<c>ValidateOnStart</c>), in the
/// copy of the configuration that <see cref="CompiledPresetStore"/> then keeps as the last good settings.
/// </summary>
internal sealed class PresetStartupValidation(CompiledPresetStore store) : IValidateOptions<PresetStartupValidation.Marker>
{
    public ValidateOptionsResult Validate(string? name, Marker options)
    {
        var failures = store.ValidateAll();

        // Thrown rather than returned, so that the host's error reads as sentences (see PresetValidationException).
        return failures.Count == 0 ? ValidateOptionsResult.Success : throw new PresetValidationException("ResiliencePresets", failures);
    }

    /// <summary>The options type whose validation on start runs the check.</summary>
    internal sealed class Marker;
}
