using System.Globalization;

namespace ResiliencePresets.Demo.Cli;

/// <summary>
/// The demo's command line, read strictly: an unknown option or a bad value is an error that names it.
/// </summary>
public sealed record DemoArguments
{
    public const int DefaultRequests = 100;
    public const int DefaultSeed = 1;
    public const int MaxRequests = 5000;

    public string? Preset { get; init; }

    public int Requests { get; init; } = DefaultRequests;

    public int Seed { get; init; } = DefaultSeed;

    public bool Json { get; init; }

    public bool Help { get; init; }

    public static string Usage { get; } = $"""
        Usage: dotnet run --project src/ResiliencePresets.Demo -- [options]

        Sends the same seeded workload through a naive retry loop, AddStandardResilienceHandler() and every
        resilience preset, against an embedded flaky API on loopback, one client per API in each setup, and prints what
        each setup did.

        Options:
          --preset NAME   Run only this client setup: naive, standard, a built-in preset or one from appsettings.json.
          --requests N    Logical requests per setup, 1 to {MaxRequests} (default {DefaultRequests}).
          --seed N        Seed of the request mix, the server's faults and every client's jitter (default {DefaultSeed}).
          --json          Print the results as JSON on stdout, nothing else.
          --help          Print this help.

        Exit codes: 0 done, 1 the configuration is invalid, 2 bad arguments.
        """;

    /// <summary>Reads the arguments; on failure, <paramref name="error"/> names the argument and the value.</summary>
    public static bool TryParse(IReadOnlyList<string> args, out DemoArguments parsed, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        parsed = new DemoArguments();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = Split(args[i]);
            switch (name)
            {
                case "--help" or "-h" or "-?":
                    parsed = parsed with { Help = true };
                    break;
                case "--json" when inline is null:
                    parsed = parsed with { Json = true };
                    break;
                case "--preset" or "--requests" or "--seed":
                    var value = inline ?? (i + 1 < args.Count ? args[++i] : null);
                    if (value is null || value.Length == 0)
                    {
                        error = $"{name} needs a value.";
                        return false;
                    }

                    if (!TryApply(ref parsed, name, value, out error))
                    {
                        return false;
                    }

                    break;
                default:
                    error = $"'{args[i]}' is not an option; the options are --preset NAME, --requests N, --seed N, --json and --help.";
                    return false;
            }
        }

        return true;
    }

    private static bool TryApply(ref DemoArguments parsed, string name, string value, out string? error)
    {
        error = null;
        if (name == "--preset")
        {
            parsed = parsed with { Preset = value };
            return true;
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            error = $"{name} is '{value}'; it must be a whole number.";
            return false;
        }

        if (name == "--requests")
        {
            if (number is < 1 or > MaxRequests)
            {
                error = $"--requests is {value}; it must be between 1 and {MaxRequests}.";
                return false;
            }

            parsed = parsed with { Requests = number };
            return true;
        }

        parsed = parsed with { Seed = number };
        return true;
    }

    private static (string Name, string? Inline) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }
}
