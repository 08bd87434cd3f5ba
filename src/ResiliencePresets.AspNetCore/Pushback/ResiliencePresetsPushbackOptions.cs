namespace ResiliencePresets.AspNetCore;

/// <summary>
/// How <c>UseResiliencePresetsPushback()</c> marks an error response caused by a dependency call a preset gave up on.
/// </summary>
public sealed class ResiliencePresetsPushbackOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether the longest wait named by the dependency (or the client's pause or open
    /// breaker) is sent as <c>Retry-After</c>, in whole seconds rounded up, when the response has none of its own.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool SendRetryAfter { get; set; } = true;
}
