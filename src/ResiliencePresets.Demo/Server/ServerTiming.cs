namespace ResiliencePresets.Demo.Server;

/// <summary>
/// How long the embedded API makes clients wait. The defaults are sized for a demo that runs in about half a minute;
/// <see cref="Fast"/> is for tests.
/// </summary>
public sealed record ServerTiming
{
    /// <summary>Gets the chat endpoint's rate-limit window; a rejected request is told to retry when it ends (<c>retry-after-ms</c>).</summary>
    public TimeSpan ChatWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets how many chat completions one API key may request per window.</summary>
    public int ChatLimit { get; init; } = 2;

    /// <summary>Gets the repository endpoint's window in whole seconds, because <c>X-RateLimit-Reset</c> is an epoch second.</summary>
    public int RepositoryWindowSeconds { get; init; } = 2;

    /// <summary>Gets how many repository reads one API key may make per window.</summary>
    public int RepositoryLimit { get; init; } = 4;

    /// <summary>Gets the least time between two search requests of one API key; one sooner is refused with a bare 429.</summary>
    public TimeSpan SearchInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets the shortest wait the inventory service asks for; its <c>Retry-After</c> date is rounded up to the next whole second.</summary>
    public TimeSpan InventoryRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets timings for tests: waits of tens of milliseconds, and under a second where a header counts in whole seconds.</summary>
    public static ServerTiming Fast { get; } = new()
    {
        ChatWindow = TimeSpan.FromMilliseconds(60),
        RepositoryWindowSeconds = 1,
        InventoryRetryAfter = TimeSpan.Zero,
        SearchInterval = TimeSpan.FromMilliseconds(30),
    };
}
