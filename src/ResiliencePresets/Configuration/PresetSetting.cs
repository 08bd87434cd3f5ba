using System.Reflection;

namespace ResiliencePresets;

/// <summary>
/// One row of <see cref="PresetSettings"/>: a setting's key relative to the preset (such as
/// <c>Retry:MaxRetryAttempts</c>), which is also the property path on <see cref="ResiliencePresetOptions"/>, and the
/// range its value must be in, if it has one.
/// </summary>
internal sealed class PresetSetting
{
    private readonly PropertyInfo[] _path;

    public PresetSetting(string key, SettingRange? range = null)
    {
        Key = key;
        Range = range;
        _path = PropertyPath(key);
    }

    public string Key { get; }

    public SettingRange? Range { get; }

    /// <summary>Gets the type of the setting's value.</summary>
    public Type Type => _path[^1].PropertyType;

    /// <summary>Reads the setting's value from <paramref name="options"/>.</summary>
    public object? Read(ResiliencePresetOptions options)
    {
        object? value = options;
        foreach (var property in _path)
        {
            value = property.GetValue(value);
        }

        return value;
    }

    // A key that names no property fails when the table is first used, so a renamed setting cannot leave a stale row.
    private static PropertyInfo[] PropertyPath(string key)
    {
        var type = typeof(ResiliencePresetOptions);
        var path = new List<PropertyInfo>();
        foreach (var name in key.Split(':'))
        {
            var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"The setting {key} names no property of {nameof(ResiliencePresetOptions)}.");
            path.Add(property);
            type = property.PropertyType;
        }

        return [.. path];
    }
}
