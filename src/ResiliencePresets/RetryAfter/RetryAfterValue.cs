namespace ResiliencePresets;

/// <summary>
/// How long a server asked the client to wait, and which header said so.
/// </summary>
/// <param name="Delay">The wait the server asked for; always positive.</param>
/// <param name="HeaderName">The header the wait was read from, such as <c>Retry-After</c> or <c>retry-after-ms</c>.</param>
public readonly record struct RetryAfterValue(TimeSpan Delay, string HeaderName);
