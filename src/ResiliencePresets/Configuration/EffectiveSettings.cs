using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace ResiliencePresets;

/// <summary>
/// Writes a preset's effective settings as one canonical text, so that a reload can tell whether anything a client runs
/// with has changed: settings a client overrides, or a value written another way (<c>1:00:00</c> for <c>01:00:00</c>),
/// leave the text as it was.
/// </summary>
internal static class EffectiveSettings
{
    public static string Describe(string presetName, ResiliencePresetOptions options)
    {
        var text = new StringBuilder("Preset=").Append(presetName).Append('\n');
        Append(text, prefix: string.Empty, options);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string prefix, object options)
    {
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var key = prefix + property.Name;
            switch (property.GetValue(options))
            {
                case IDictionary dictionary:
                    foreach (var entry in dictionary.Keys.Cast<object>().Select(k => (Key: Format(k).ToUpperInvariant(), Value: Format(dictionary[k]))).OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        text.Append(key).Append(':').Append(entry.Key).Append('=').Append(entry.Value).Append('\n');
                    }

                    break;
                case { } value when property.PropertyType.IsClass && property.PropertyType != typeof(string):
                    Append(text, key + ":", value);
                    break;
                case var value:
                    text.Append(key).Append('=').Append(Format(value)).Append('\n');
                    break;
            }
        }
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        TimeSpan span => span.Ticks.ToString(CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
