using Microsoft.Extensions.Options;

namespace ResiliencePresets;

/// <summary>
/// The <see cref="OptionsValidationException"/> thrown for invalid preset settings. Each failure is a sentence of its
/// own, so the message joins them with a space instead of the base class's semicolon.
/// </summary>
internal sealed class PresetValidationException(string optionsName, IEnumerable<string> failures)
    : OptionsValidationException(optionsName, typeof(ResiliencePresetOptions), failures)
{
    public override string Message => string.Join(" ", Failures);
}
