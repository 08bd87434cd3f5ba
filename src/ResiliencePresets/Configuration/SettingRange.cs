using System.Globalization;

namespace ResiliencePresets;

/// <summary>
/// The values one setting accepts, in one of the four forms the settings use: between two bounds, 0 or 00:00:00 (off) or between
/// two bounds, at least a bound, or more than a bound and at most another. Bounds are of the setting's own type.
/// </summary>
internal sealed class SettingRange
{
    private readonly Form _form;

    private SettingRange(Form form, IComparable min, IComparable? max)
    {
        _form = form;
        Min = min;
        Max = max;
    }

    private enum Form
    {
        Between,
        OffOrBetween,
        AtLeast,
        AboveAndAtMost,
    }

    /// <summary>Gets the lower bound; included unless <see cref="ExcludesMin"/>.</summary>
    public IComparable Min { get; }

    /// <summary>Gets the upper bound, always included; <see langword="null"/> when there is none.</summary>
    public IComparable? Max { get; }

    /// <summary>Gets a value indicating whether 0 is accepted below <see cref="Min"/>, meaning the setting is off.</summary>
    public bool ZeroIsOff => _form == Form.OffOrBetween;

    /// <summary>Gets the zero of the setting's type (0, or 00:00:00 for a time span): the value that means off when <see cref="ZeroIsOff"/>.</summary>
    public IComparable Zero => Min is TimeSpan ? TimeSpan.Zero : 0d;

    /// <summary>Gets a value indicating whether the value must be more than <see cref="Min"/>, not equal to it.</summary>
    public bool ExcludesMin => _form == Form.AboveAndAtMost;

    /// <summary>Gets what a value must be, as the validator's messages say it after "it must be".</summary>
    public string Requirement => _form switch
    {
        Form.Between => $"between {Text(Min)} and {Text(Max)}",
        Form.OffOrBetween => $"{Text(Zero)} (off) or between {Text(Min)} and {Text(Max)}",
        Form.AtLeast => $"at least {Text(Min)}",
        _ => $"more than {Text(Min)} and at most {Text(Max)}",
    };

    public static SettingRange Between(int min, int max) => new(Form.Between, min, max);

    public static SettingRange Between(double min, double max) => new(Form.Between, min, max);

    public static SettingRange Between(TimeSpan min, TimeSpan max) => new(Form.Between, min, max);

    public static SettingRange OffOrBetween(double min, double max) => new(Form.OffOrBetween, min, max);

    public static SettingRange OffOrBetween(TimeSpan min, TimeSpan max) => new(Form.OffOrBetween, min, max);

    public static SettingRange AtLeast(int min) => new(Form.AtLeast, min, null);

    public static SettingRange AboveAndAtMost(double min, double max) => new(Form.AboveAndAtMost, min, max);

    /// <summary>The text of a value as messages write it: invariant culture, time spans in the constant ("c") format.</summary>
    public static string Text(object? value) => value switch
    {
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? string.Empty,
    };

    // NaN compares below every number, so it is outside every range.
    public bool Contains(IComparable value)
    {
        if (ZeroIsOff && value.Equals(Zero))
        {
            return true;
        }

        var aboveMin = ExcludesMin ? value.CompareTo(Min) > 0 : value.CompareTo(Min) >= 0;
        return aboveMin && (Max is null || value.CompareTo(Max) <= 0);
    }
}
