using ResiliencePresets.Simulation.Limiters;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// The limited servers of the limiter scenarios: nginx's <c>limit_req</c> and ASP.NET Core's rate limiting middleware
/// (limiting logic nobody here wrote), and the simulation's own token bucket for the classic contention case and for
/// a limit that doubles or halves mid-run.
/// </summary>
public static class LimiterServers
{
    public const string Nginx = "nginx limit_req (reverse proxy on loopback)";
    public const string AspNetCore = "ASP.NET Core rate limiting middleware";
    public const string InProcess = "the simulation's token bucket, 429 without Retry-After";

    /// <summary>Returns an nginx server for each variant; every variant and setup has a location and zone of its own in one nginx.</summary>
    public static IReadOnlyList<LimiterServer> OnNginx(NginxProxy proxy, IReadOnlyList<NginxVariant> variants, int rate, int setups)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        ArgumentNullException.ThrowIfNull(variants);
        return [.. variants.Select((variant, v) => new LimiterServer(
            variant.Name,
            Nginx,
            rate,
            i => Task.FromResult(new LimiterSlot(proxy.BaseAddressOf((v * setups) + i), () => ValueTask.CompletedTask))))];
    }

    /// <summary>Gets the nginx locations <see cref="OnNginx"/> hands out, in order: each variant once per setup.</summary>
    public static IReadOnlyList<(NginxVariant Variant, int Rate)> NginxLocations(IReadOnlyList<NginxVariant> variants, int rate, int setups)
        => [.. variants.SelectMany(variant => Enumerable.Repeat((variant, rate), setups))];

    public static LimiterServer OnAspNetCore(AspNetCoreVariant variant, int rate)
    {
        ArgumentNullException.ThrowIfNull(variant);
        return new LimiterServer(variant.Name, AspNetCore, rate, async _ =>
        {
            var api = await AspNetCoreLimitedApi.StartAsync(variant, rate);
            return new LimiterSlot(api.BaseAddress, api.DisposeAsync);
        });
    }

    /// <summary>The simulation's token bucket holding a tenth of a second's worth, refusing with a bare 429, its rate changed mid-run if asked.</summary>
    public static LimiterServer InProcessBucket(string name, int rate, RateChange? change = null) => new(name, InProcess, rate, async _ =>
    {
        var api = await RateLimitedApi.StartAsync(rate, Capacity(rate), quotaHeaders: false, retryAfter: false);
        return new LimiterSlot(api.BaseAddress, api.DisposeAsync, newRate => api.ChangeRate(newRate, Capacity(newRate)));
    }, change);

    private static double Capacity(int rate) => Math.Max(1, rate / 10.0);
}
