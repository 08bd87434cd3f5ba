using System.Globalization;

namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// The command line of one instance of the multi-instance scenario, a process of its own started by the simulation
/// (<c>--instance</c>): where to send its requests, how many workers share how many of them, and what its client is
/// configured with.
/// </summary>
/// <param name="BaseAddress">The limited server's address, ending in a slash; requests go to <c>items/{n}</c> below it.</param>
/// <param name="Workers">Closed-loop workers sharing the instance's one client.</param>
/// <param name="Requests">The instance's share of the requests.</param>
/// <param name="PermitsPerSecond">The client's <c>RateLimit:PermitsPerSecond</c>; <see langword="null"/> for none.</param>
/// <param name="Redis">The redis-server to share through (<c>host:port</c>); <see langword="null"/> for no sharing.</param>
/// <param name="SharedKey">The client's <c>Shared:Key</c> when it shares.</param>
/// <param name="Trace">Whether the instance samples its learned rate (<see cref="LearnedRateSampler"/>) for its report.</param>
public sealed record InstanceArguments(Uri BaseAddress, int Workers, int Requests, double? PermitsPerSecond, string? Redis, string? SharedKey, bool Trace = false)
{
    public const string Mode = "--instance";

    public static InstanceArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? Value(string name)
        {
            for (var i = 0; i + 1 < args.Count; i++)
            {
                if (args[i] == name)
                {
                    return args[i + 1];
                }
            }

            return null;
        }

        string Required(string name) => Value(name) ?? throw new ArgumentException($"{Mode} needs {name}.", nameof(args));
        return new InstanceArguments(
            new Uri(Required("--url")),
            int.Parse(Required("--workers"), CultureInfo.InvariantCulture),
            int.Parse(Required("--requests"), CultureInfo.InvariantCulture),
            Value("--permits-per-second") is { } rate ? double.Parse(rate, CultureInfo.InvariantCulture) : null,
            Value("--redis"),
            Value("--key"),
            args.Contains("--trace"));
    }

    /// <summary>Returns the arguments that <see cref="Parse"/> reads back into this value, <see cref="Mode"/> first.</summary>
    public IReadOnlyList<string> ToArguments()
    {
        List<string> args = [Mode, "--url", BaseAddress.ToString(), "--workers", Workers.ToString(CultureInfo.InvariantCulture), "--requests", Requests.ToString(CultureInfo.InvariantCulture)];
        if (PermitsPerSecond is { } rate)
        {
            args.AddRange(["--permits-per-second", rate.ToString(CultureInfo.InvariantCulture)]);
        }

        if (Redis is not null)
        {
            args.AddRange(["--redis", Redis, "--key", SharedKey ?? InstanceMode.ClientName]);
        }

        if (Trace)
        {
            args.Add("--trace");
        }

        return args;
    }
}
