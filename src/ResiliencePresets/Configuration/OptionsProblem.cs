namespace ResiliencePresets;

/// <summary>
/// One invalid setting: its key relative to the preset (such as <c>Retry:MaxRetryAttempts</c>), its value as text, and
/// what it must be instead. A conflict between two settings also carries the same conflict stated from the other
/// setting, so that it can be reported where the configuration set a value.
/// </summary>
internal sealed record OptionsProblem(string Key, string Value, string Requirement, OptionsProblem? Counterpart = null)
{
    public string Describe(string where) => $"{where} is {Value}; it must be {Requirement}.";
}
