namespace ResiliencePresets;

/// <summary>
/// One invalid setting: its key relative to the preset (such as <c>Retry:MaxRetryAttempts</c>), its value as text, and
/// what it must be instead.
/// </summary>
internal readonly record struct OptionsProblem(string Key, string Value, string Requirement)
{
    public string Describe(string where) => $"{where} is {Value}; it must be {Requirement}.";
}
