using ResiliencePresets.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Adds retry pushback between tiers to an ASP.NET Core application.
/// </summary>
public static class ResiliencePresetsPushbackApplicationBuilderExtensions
{
    /// <summary>
    /// Marks the application's error responses (5xx, or an exception that escapes) whose request called a dependency
    /// through a ResiliencePresets preset that gave up on the call: they carry <c>x-should-retry: false</c>, and
    /// <c>Retry-After</c> when the dependency named a wait, so that the application's callers do not retry what it
    /// has already retried. Other responses are left as they are.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <returns>The application, for chaining.</returns>
    public static IApplicationBuilder UseResiliencePresetsPushback(this IApplicationBuilder app)
        => app.UseResiliencePresetsPushback(_ => { });

    /// <summary>
    /// Marks the application's error responses caused by a dependency call a preset gave up on, as
    /// <see cref="UseResiliencePresetsPushback(IApplicationBuilder)"/> does, with options.
    /// </summary>
    /// <param name="app">The application.</param>
    /// <param name="configure">Sets the options; the defaults are those of <see cref="ResiliencePresetsPushbackOptions"/>.</param>
    /// <returns>The application, for chaining.</returns>
    public static IApplicationBuilder UseResiliencePresetsPushback(this IApplicationBuilder app, Action<ResiliencePresetsPushbackOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ResiliencePresetsPushbackOptions();
        configure(options);
        return app.UseMiddleware<PushbackMiddleware>(options);
    }
}
