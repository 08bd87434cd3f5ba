namespace ResiliencePresets;

/// <summary>
/// Checks a preset against the ranges of <see cref="PresetSettings"/> and the rules between settings, so that a preset
/// that passes here always builds.
/// </summary>
internal static class ResiliencePresetOptionsValidator
{
    public static List<OptionsProblem> Validate(ResiliencePresetOptions options)
    {
        var problems = new List<OptionsProblem>();

        // A rule between two settings is checked only when both are in range, so that it never blames a valid value.
        var outOfRange = new HashSet<string>(StringComparer.Ordinal);
        foreach (var setting in PresetSettings.All)
        {
            if (setting.Range is { } range && setting.Read(options) is IComparable value && !range.Contains(value))
            {
                problems.Add(new(setting.Key, Text(value), range.Requirement));
                outOfRange.Add(setting.Key);
            }
        }

        bool InRange(string first, string second) => !outOfRange.Contains(first) && !outOfRange.Contains(second);

        if (!HttpToken.IsValid(options.Idempotency.HeaderName))
        {
            problems.Add(new("Idempotency:HeaderName", $"'{options.Idempotency.HeaderName}'", "an HTTP header name, such as Idempotency-Key"));
        }

        var retry = options.Retry;
        if (InRange("Retry:BaseDelay", "Retry:MaxDelay") && retry.BaseDelay > retry.MaxDelay)
        {
            problems.Add(new("Retry:BaseDelay", Text(retry.BaseDelay), $"at most Retry:MaxDelay ({Text(retry.MaxDelay)})",
                new("Retry:MaxDelay", Text(retry.MaxDelay), $"at least Retry:BaseDelay ({Text(retry.BaseDelay)})")));
        }

        if (InRange("AttemptTimeout", "TotalTimeout") && options.TotalTimeout < options.AttemptTimeout)
        {
            problems.Add(new("TotalTimeout", Text(options.TotalTimeout), $"at least AttemptTimeout ({Text(options.AttemptTimeout)})",
                new("AttemptTimeout", Text(options.AttemptTimeout), $"at most TotalTimeout ({Text(options.TotalTimeout)})")));
        }

        var rate = options.RateLimit;
        if (InRange("RateLimit:PermitsPerSecond", "RateLimit:PermitsPerMinute") && rate.PermitsPerSecond > 0 && rate.PermitsPerMinute > 0)
        {
            problems.Add(new("RateLimit:PermitsPerMinute", Text(rate.PermitsPerMinute), $"0 when RateLimit:PermitsPerSecond is set ({Text(rate.PermitsPerSecond)}); set one rate"));
        }

        // Two copies of a request carrying the same key at once earn a 409 from the server; a stamped key is the payment preset's.
        if (options.Hedging.Enabled && options.Idempotency.AddMissingKey)
        {
            problems.Add(new("Hedging:Enabled", "true", "false when Idempotency:AddMissingKey is true (PaymentWithIdempotencyKey): hedges would send one idempotency key twice at once",
                new("Idempotency:AddMissingKey", "true", "false when Hedging:Enabled is true")));
        }

        var shared = options.Shared;
        if (shared.Key is { } key && (key.Length > 256 || string.IsNullOrWhiteSpace(key)))
        {
            problems.Add(new("Shared:Key", $"'{key}'", "unset (the client's name), or 1 to 256 characters, not all white space"));
        }

        if (shared.KeyPrefix is not { Length: >= 1 and <= 64 } prefix || !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            problems.Add(new("Shared:KeyPrefix", $"'{shared.KeyPrefix}'", "1 to 64 characters, each a letter, a digit, or one of - _ . :"));
        }

        foreach (var code in options.StatusCodes.Keys.Where(code => code is < 100 or > 599))
        {
            problems.Add(new($"StatusCodes:{Text(code)}", options.StatusCodes[code].ToString(), "under a status code from 100 to 599"));
        }

        foreach (var method in options.Methods.Keys.Where(method => !HttpToken.IsMethod(method)))
        {
            problems.Add(new($"Methods:{method}", options.Methods[method].ToString(), "under an HTTP method name such as GET or POST"));
        }

        return problems;
    }

    internal static string Text(object value) => SettingRange.Text(value);
}
