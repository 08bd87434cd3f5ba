namespace ResiliencePresets.Benchmarks;

/// <summary>
/// A built-in preset's defaults written out by hand, for its Polly twin: what a team would configure itself to get the
/// same strategies without the library.
/// </summary>
internal sealed record TwinSettings(int MaxRetryAttempts, TimeSpan AttemptTimeout, TimeSpan TotalTimeout, IReadOnlySet<string> RetriedMethods)
{
    private static readonly string[] SafeMethods = ["GET", "HEAD", "OPTIONS", "TRACE"];

    // Breaker settings are the same in every built-in preset.
    public static double FailureRatio => 0.5;

    public static int MinimumThroughput => 20;

    public static TimeSpan SamplingDuration => TimeSpan.FromSeconds(30);

    public static TimeSpan BreakDuration => TimeSpan.FromSeconds(5);

    public static TwinSettings For(string presetName) => presetName switch
    {
        ResiliencePresetNames.ReadOnlyApi => new(4, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), Methods(SafeMethods)),
        ResiliencePresetNames.IdempotentWrite => new(2, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), Methods([.. SafeMethods, "PUT", "DELETE"])),
        ResiliencePresetNames.PaymentWithIdempotencyKey => new(3, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), Methods([.. SafeMethods, "PUT", "DELETE", "POST", "PATCH"])),
        _ => throw new ArgumentOutOfRangeException(nameof(presetName), presetName, "Not a built-in preset."),
    };

    private static HashSet<string> Methods(string[] methods) => new(methods, StringComparer.OrdinalIgnoreCase);
}
