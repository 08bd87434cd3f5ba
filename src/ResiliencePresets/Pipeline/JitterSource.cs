namespace ResiliencePresets;

/// <summary>
/// The source of every random draw the presets make: the jitter of the client's backoff, the spread added to a wait
/// the server named, and the spread of quota pacing. Register one as a singleton to make those draws reproducible;
/// without one, the presets draw from <see cref="Random.Shared"/>.
/// </summary>
/// <remarks>
/// <para>
/// <c>services.AddSingleton(new JitterSource(seed))</c>, before or after <c>AddResiliencePresets</c>: every preset
/// client of that service provider then draws from one generator seeded with <c>seed</c>, and Polly's own retry
/// randomizer in those pipelines draws from it too. The same seed gives the same sequence of numbers; which request
/// gets which number still follows the order in which concurrent requests ask for one.
/// </para>
/// <para>The draws are serialized by a lock, so one instance may be shared by any number of clients.</para>
/// </remarks>
public sealed class JitterSource
{
    private readonly object _lock = new();
    private readonly Random? _random;

    /// <summary>Creates a source whose draws are the sequence <see cref="Random(int)"/> gives for <paramref name="seed"/>.</summary>
    /// <param name="seed">Any number; the same seed gives the same sequence.</param>
    public JitterSource(int seed) => _random = new Random(seed);

    private JitterSource()
    {
    }

    /// <summary>Gets the source used when none is registered: <see cref="Random.Shared"/>.</summary>
    internal static JitterSource Shared { get; } = new();

    /// <summary>
    /// Returns the next number in [0, 1). Pass this method to another randomizer to draw from the same sequence, such as
    /// Polly's <c>RetryStrategyOptions.Randomizer</c> of a standard resilience handler.
    /// </summary>
    /// <returns>A number greater than or equal to 0 and less than 1.</returns>
    public double NextDouble()
    {
        if (_random is null)
        {
            return Random.Shared.NextDouble();
        }

#pragma warning disable CA5394 // Jitter is not a secret: a predictable, seeded sequence is what this type is for.
        lock (_lock)
        {
            return _random.NextDouble();
        }
#pragma warning restore CA5394
    }
}
