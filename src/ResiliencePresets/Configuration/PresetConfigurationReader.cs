using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace ResiliencePresets;

/// <summary>
/// Applies one configuration section onto a preset's options, strictly: a key that names no setting and a value that
/// cannot be read are reported with their full configuration path, never skipped.
/// </summary>
internal static class PresetConfigurationReader
{
    private const string BasedOnKey = ConfigurationLayout.BasedOnKey;

    /// <summary>
    /// Applies <paramref name="section"/> onto <paramref name="target"/>; every problem found is added to <paramref name="failures"/>.
    /// </summary>
    /// <param name="section">One layer: a preset's or a client's section.</param>
    /// <param name="target">The options the layer is applied onto.</param>
    /// <param name="allowBasedOn">Whether <c>BasedOn</c> is a valid key (presets only).</param>
    /// <param name="failures">Receives a message for every problem.</param>
    /// <param name="rejectedKeys">Receives the key, relative to the preset (such as <c>Retry:BaseDelay</c>), of every value
    /// that was rejected, so that no later rule reports the value left in its place.</param>
    public static void Apply(IConfigurationSection section, ResiliencePresetOptions target, bool allowBasedOn, List<string> failures, ISet<string>? rejectedKeys = null)
        => ApplyObject(section, section.Path.Length + 1, target, allowBasedOn, failures, rejectedKeys ?? new HashSet<string>());

    private static void ApplyObject(IConfigurationSection section, int layerPathLength, object target, bool allowBasedOn, List<string> failures, ISet<string> rejectedKeys)
    {
        var properties = target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance);

        // BasedOn is a key of a preset's section, not a setting: PresetResolver reads it from the section to find the
        // preset to start from, and the options it builds carry only the values.
        var basedOnAllowed = allowBasedOn && target is ResiliencePresetOptions;
        var names = (basedOnAllowed ? [BasedOnKey] : Array.Empty<string>()).Concat(properties.Select(p => p.Name));
        foreach (var child in section.GetChildren())
        {
            var isBasedOn = target is ResiliencePresetOptions && child.Key.Equals(BasedOnKey, StringComparison.OrdinalIgnoreCase);
            if (isBasedOn && basedOnAllowed)
            {
                if (child.Value is null)
                {
                    failures.Add($"{child.Path} is a section; it must be a single value ({Describe(typeof(string))}).");
                    rejectedKeys.Add(child.Path[layerPathLength..]);
                }

                continue;
            }

            var property = Array.Find(properties, p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                failures.Add(isBasedOn
                    ? $"{child.Path} is not allowed: a client's preset is chosen in code with AddResiliencePreset; BasedOn belongs under Presets."
                    : $"{child.Path} is not a known setting; the settings under {section.Path} are {string.Join(", ", names)}.");
                continue;
            }

            var value = property.GetValue(target);
            switch (value)
            {
                case IDictionary<int, StatusCodeRule> statusCodes:
                    ApplyStatusCodes(child, statusCodes, failures);
                    break;
                case IDictionary<string, MethodRetryRule> methods:
                    ApplyMethods(child, methods, failures);
                    break;
                case ResiliencePresetRetryOptions or ResiliencePresetCircuitBreakerOptions or IdempotencyKeyOptions or ResiliencePresetRetryBudgetOptions or ResiliencePresetRateLimitOptions or ResiliencePresetFallbackOptions or ResiliencePresetHedgingOptions or ResiliencePresetSharedOptions:
                    if (IsSection(child, failures, property.Name))
                    {
                        ApplyObject(child, layerPathLength, value, allowBasedOn: false, failures, rejectedKeys);
                    }

                    break;
                default:
                    if (child.Value is null)
                    {
                        failures.Add($"{child.Path} is a section; it must be a single value ({Describe(property.PropertyType)}).");
                        rejectedKeys.Add(child.Path[layerPathLength..]);
                    }
                    else if (TryConvert(child.Value, property.PropertyType, out var converted))
                    {
                        property.SetValue(target, converted);
                    }
                    else
                    {
                        failures.Add(Unreadable(child, child.Path[layerPathLength..], property.PropertyType));
                        rejectedKeys.Add(child.Path[layerPathLength..]);
                    }

                    break;
            }
        }
    }

    private static void ApplyStatusCodes(IConfigurationSection section, IDictionary<int, StatusCodeRule> target, List<string> failures)
    {
        if (!IsSection(section, failures, "StatusCodes"))
        {
            return;
        }

        foreach (var child in section.GetChildren())
        {
            // Three digits exactly: "0429" would be a second key for 429, and whichever came last would win.
            if (child.Key.Length != 3 || !int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 599)
            {
                failures.Add($"{child.Path} is not a status code; the keys under {section.Path} must be whole numbers from 100 to 599.");
            }
            else if (child.Value is null)
            {
                failures.Add($"{child.Path} is a section; it must be a single value ({Describe(typeof(StatusCodeRule))}).");
            }
            else if (StatusCodeRule.TryParse(child.Value, out var rule))
            {
                target[code] = rule;
            }
            else
            {
                failures.Add($"{child.Path} is '{child.Value}'; it must be {Describe(typeof(StatusCodeRule))}.");
            }
        }
    }

    private static void ApplyMethods(IConfigurationSection section, IDictionary<string, MethodRetryRule> target, List<string> failures)
    {
        if (!IsSection(section, failures, "Methods"))
        {
            return;
        }

        foreach (var child in section.GetChildren())
        {
            if (!HttpToken.IsMethod(child.Key))
            {
                failures.Add($"{child.Path} is not an HTTP method; the keys under {section.Path} must be method names such as GET or POST.");
            }
            else if (child.Value is null)
            {
                failures.Add($"{child.Path} is a section; it must be a single value ({Describe(typeof(MethodRetryRule))}).");
            }
            else if (TryConvert(child.Value, typeof(MethodRetryRule), out var rule))
            {
                target[child.Key.ToUpperInvariant()] = (MethodRetryRule)rule!;
            }
            else
            {
                failures.Add($"{child.Path} is '{child.Value}'; it must be {Describe(typeof(MethodRetryRule))}.");
            }
        }
    }

    private static bool IsSection(IConfigurationSection section, List<string> failures, string name)
    {
        if (section.Value is null)
        {
            return true;
        }

        failures.Add($"{section.Path} is '{section.Value}'; {name} must be a section of settings, not a single value.");
        return false;
    }

    private static bool TryConvert(string? text, Type type, out object? value)
    {
        value = null;
        if (text is null)
        {
            return false;
        }

        var invariant = CultureInfo.InvariantCulture;
        var trimmed = text.Trim();
        if (type == typeof(string))
        {
            value = text;
        }
        else if (type == typeof(int) && int.TryParse(trimmed, NumberStyles.AllowLeadingSign, invariant, out var integer))
        {
            value = integer;
        }
        else if (type == typeof(double) && double.TryParse(trimmed, NumberStyles.Float, invariant, out var number) && double.IsFinite(number))
        {
            value = number;
        }
        else if (type == typeof(bool) && bool.TryParse(trimmed, out var flag))
        {
            value = flag;
        }
        else if (type == typeof(TimeSpan) && IsStrictTimeSpan(trimmed, out var span))
        {
            value = span;
        }
        // A rule name is letters only: numbers ("1", "+1", "-0") and comma-separated lists ("Never, Retry" parses as the
        // flags Never | Retry) are enum syntax, not rule names.
        else if (type == typeof(MethodRetryRule) && trimmed.Length > 0 && trimmed.All(char.IsAsciiLetter) &&
                 Enum.TryParse<MethodRetryRule>(trimmed, ignoreCase: true, out var rule) && Enum.IsDefined(rule))
        {
            value = rule;
        }

        return value is not null;
    }

    // [d.]hh:mm:ss[.fffffff] in full, in the constant ("c") format. TimeSpan.Parse reads "30" as thirty days, "00:30" as
    // thirty minutes, "24:00:00" as twenty-four days and "0:0:0:10" as days:hours:minutes:seconds; each is a value
    // nobody meant, so each is refused.
    private static bool IsStrictTimeSpan(string text, out TimeSpan span)
    {
        span = default;
        return text.Count(c => c == ':') == 2 && TimeSpan.TryParseExact(text, "c", CultureInfo.InvariantCulture, out span);
    }

    private static string Unreadable(IConfigurationSection child, string key, Type type)
    {
        var text = child.Value!.Trim();

        // A whole number too large for an int, or a number too large for a double, is a number out of range, not text.
        if ((type == typeof(int) && double.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) ||
            (type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsInfinity(number) && text.Any(char.IsAsciiDigit)))
        {
            var range = PresetSettings.All.FirstOrDefault(s => s.Key.Equals(key, StringComparison.OrdinalIgnoreCase))?.Range;
            var requirement = range is { Max: not null } ? range.Requirement : $"at most {SettingRange.Text(type == typeof(int) ? int.MaxValue : double.MaxValue)}";
            return $"{child.Path} is '{child.Value}'; it must be {requirement}.";
        }

        if (type == typeof(TimeSpan) && text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var read))
        {
            return $"{child.Path} is '{child.Value}', which .NET would read as {SettingRange.Text(read)}; it must be a time span written as [d.]hh:mm:ss with hours from 0 to 23, such as 00:00:30 or 1.00:00:00.";
        }

        return $"{child.Path} is '{child.Value}'; it must be {Describe(type)}.";
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) => "a whole number",
        _ when type == typeof(double) => "a number",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a time span written as hh:mm:ss, such as 00:00:30",
        _ when type == typeof(StatusCodeRule) => "Retry, Never or Retry(N) with N at least 1",
        _ when type == typeof(MethodRetryRule) => "Retry, Never or WithIdempotencyKey",
        _ => "text",
    };
}
