using System.Globalization;

namespace ResiliencePresets.Redis.Peer;

/// <summary>The peer's command line.</summary>
internal sealed record PeerArguments(string Redis, string Url, string Key, double SkewSeconds, double PermitsPerSecond, int Burst, int QueueLimit)
{
    public static PeerArguments Parse(string[] args)
    {
        string Value(string name, string? fallback = null)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback ?? throw new ArgumentException($"{name} is required.");
        }

        double Number(string name) => double.Parse(Value(name, "0"), CultureInfo.InvariantCulture);

        return new PeerArguments(Value("--redis"), Value("--url"), Value("--key", "api"), Number("--skew-seconds"), Number("--permits-per-second"),
            (int)Number("--burst"), (int)Number("--queue-limit"));
    }
}
