using System.Globalization;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Generates <c>ResiliencePresets</c> configuration sections from a seeded <see cref="Random"/>: valid settings, wrong
/// types, out-of-range values, unknown keys, <c>BasedOn</c> chains that loop or lead nowhere, and values that are
/// sections or sections that are values.
/// </summary>
public sealed class ConfigurationGenerator(Random random)
{
    public const string Root = "ResiliencePresets";
    public const string ClientName = "api";

    public static readonly string[] BuiltIn = [ResiliencePresetNames.ReadOnlyApi, ResiliencePresetNames.IdempotentWrite, ResiliencePresetNames.PaymentWithIdempotencyKey];

    private static readonly string[] Settings =
    [
        "Retry:MaxRetryAttempts", "Retry:BaseDelay", "Retry:MaxDelay", "Retry:MaxRetryAfter", "AttemptTimeout", "TotalTimeout",
        "CircuitBreaker:Enabled", "CircuitBreaker:FailureRatio", "CircuitBreaker:MinimumThroughput", "CircuitBreaker:SamplingDuration",
        "CircuitBreaker:BreakDuration", "Idempotency:HeaderName", "Idempotency:AddMissingKey", "RetryBudget:Enabled",
        "RetryBudget:MaxRetryRatio", "RetryBudget:MinRetries", "RetryBudget:Window", "RateLimit:PermitsPerSecond",
        "RateLimit:PermitsPerMinute", "RateLimit:Burst", "RateLimit:QueueLimit",
    ];

    private static readonly string[] Junk =
    [
        "Bogus", "Retry:Bogus", "retry:maxretryattempts", "RETRY:MAXDELAY", "CircuitBreaker", "Retry", "StatusCodes", "Methods",
        "Idempotency", "RateLimit", "RetryBudget", "Retry:MaxRetryAttempts:Deep", "StatusCodes:503:Deep", "Methods:GET:Deep",
        "CircuitBreaker:Enabled:Nested:More", "BasedOn:Deep", "Retry:BasedOn", "", " ",
    ];

    private static readonly string[] Values =
    [
        "", " ", "0", "-1", "1", "2", "3", "10", "11", "100000", "100001", "2147483647", "2147483648", "-2147483649", "1e400", "1e-300",
        "1e-10", "0.0000001", "NaN", "Infinity", "-Infinity", "0.5", "1", "1.5", "-0.5", "true", "false", "True", "yes", "00:00:00",
        "00:00:00.001", "00:00:00.009", "00:00:00.010", "00:00:00.250", "00:00:00.499", "00:00:00.500", "00:00:01", "00:00:30",
        "-00:00:01", "01:00:00", "01:00:00.0000001", "1.00:00:00", "1.00:00:00.0000001", "10675199.02:48:05.4775807", "99:99:99",
        "30", "abc", "Retry", "Never", "WithIdempotencyKey", "retry", "Retry(0)", "Retry(1)", "Retry(3)", "Retry(-1)",
        "Retry(99999999999)", "Retry()", "Never, Retry", "1, 2", "Idempotency-Key", "X Key", "Key:Colon", "é", "😀", "\u0000",
    ];

    private static readonly string[] StatusKeys = ["100", "200", "404", "429", "503", "599", "99", "600", "abc", "-1", "+503", " 503", "5e2", "0503"];

    private static readonly string[] MethodKeys = ["GET", "POST", "get", "Patch", "DELETE", "G ET", "", "GET:", "😀", "(GET)", "X-CUSTOM"];

    private readonly Random _random = random;

    /// <summary>Generates one configuration and the preset the client <see cref="ClientName"/> is given.</summary>
    public (Dictionary<string, string?> Configuration, string Preset) Next()
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var presetNames = new List<string>();
        var presets = _random.Next(0, 4);
        for (var i = 0; i < presets; i++)
        {
            var name = _random.Next(4) == 0 ? Pick(BuiltIn) : $"p{i}";
            presetNames.Add(name);
        }

        foreach (var name in presetNames.Distinct(StringComparer.Ordinal))
        {
            var prefix = $"{Root}:Presets:{name}";
            if (_random.Next(6) != 0)
            {
                values[$"{prefix}:BasedOn"] = _random.Next(8) switch
                {
                    0 => name,
                    1 => "Missing",
                    2 => _random.Next(2) == 0 ? "" : " ",
                    3 or 4 => presetNames[_random.Next(presetNames.Count)],
                    5 => "readonlyapi",
                    _ => Pick(BuiltIn),
                };
            }

            AddSettings(values, prefix);
        }

        if (_random.Next(3) != 0)
        {
            AddSettings(values, $"{Root}:Clients:{(_random.Next(5) == 0 ? ClientName.ToUpperInvariant() : ClientName)}");
        }

        if (_random.Next(8) == 0)
        {
            AddSettings(values, $"{Root}:Clients:other");
        }

        if (_random.Next(10) == 0)
        {
            values[$"{Root}:{Pick((string[])["Presets", "Clients", "Bogus", "Presets:x", "Clients:api"])}"] = Pick(Values);
        }

        // A preset without a single key does not exist in configuration; AddResiliencePreset refuses such a name by design.
        var known = presetNames.Where(name => values.Keys.Any(k => k.StartsWith($"{Root}:Presets:{name}:", StringComparison.OrdinalIgnoreCase))).Concat(BuiltIn).ToList();
        return (values, known[_random.Next(known.Count)]);
    }

    private void AddSettings(Dictionary<string, string?> values, string prefix)
    {
        var count = _random.Next(0, 7);
        for (var i = 0; i < count; i++)
        {
            var (key, value) = _random.Next(10) switch
            {
                0 => (Pick(Junk), Pick(Values)),
                1 => ($"StatusCodes:{Pick(StatusKeys)}", Pick(Values)),
                2 => ($"Methods:{Pick(MethodKeys)}", Pick(Values)),
                3 => ($"StatusCodes:{Pick(StatusKeys)}", Pick((string[])["Retry", "Never", "Retry(2)"])),
                4 => ($"Methods:{Pick(MethodKeys)}", Pick((string[])["Retry", "Never", "WithIdempotencyKey"])),
                _ => (Pick(Settings), _random.Next(3) == 0 ? Plausible() : Pick(Values)),
            };
            values[key.Length == 0 ? prefix : $"{prefix}:{key}"] = value;
        }
    }

    private string Plausible() => _random.Next(3) switch
    {
        0 => _random.Next(0, 12).ToString(CultureInfo.InvariantCulture),
        1 => TimeSpan.FromMilliseconds(_random.Next(0, 120_000)).ToString("c", CultureInfo.InvariantCulture),
        _ => _random.NextDouble().ToString("R", CultureInfo.InvariantCulture),
    };

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
