namespace ResiliencePresets.Simulation.Limiters;

/// <summary>
/// One configuration of nginx's <c>limit_req</c> (ngx_http_limit_req_module): a leaky bucket of <c>rate</c> requests a
/// second, accounted per millisecond. Without <c>burst</c>, a request that comes sooner than 1/rate after the last one
/// admitted is refused; with <c>burst=N nodelay</c>, up to N such requests are forwarded at once and the rest refused.
/// A refusal is <c>limit_req_status</c> (nginx's default 503) with no <c>Retry-After</c>, unless an error location
/// adds one.
/// </summary>
/// <param name="Name">The row's name in the results.</param>
/// <param name="Burst">The <c>burst</c> parameter, with <c>nodelay</c>; 0 for none.</param>
/// <param name="Status">The <c>limit_req_status</c>; <see langword="null"/> leaves nginx's default (503).</param>
/// <param name="RetryAfterSeconds">A <c>Retry-After</c> added to refusals through <c>error_page</c>; <see langword="null"/> for none.</param>
public sealed record NginxVariant(string Name, int Burst, int? Status, int? RetryAfterSeconds)
{
    /// <summary>Gets the status a refusal is answered with.</summary>
    public int RefusalStatus => Status ?? 503;

    /// <summary>Gets the four variants the simulation measures, for a limit of <paramref name="rate"/> requests a second.</summary>
    public static IReadOnlyList<NginxVariant> All(int rate) =>
    [
        new("nginx limit_req, no burst, 429, no Retry-After", 0, 429, null),
        new($"nginx limit_req, burst={rate / 2} nodelay, 429, no Retry-After", rate / 2, 429, null),
        new("nginx limit_req, no burst, default 503, no Retry-After", 0, null, null),
        new("nginx limit_req, no burst, 429 with Retry-After: 1", 0, 429, 1),
    ];
}
