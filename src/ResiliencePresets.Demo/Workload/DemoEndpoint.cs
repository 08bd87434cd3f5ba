namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// The kinds of request the workload sends.
/// </summary>
public enum DemoEndpoint
{
    /// <summary>POST a chat completion (rate-limited with <c>retry-after-ms</c>).</summary>
    ChatCompletion,

    /// <summary>GET a repository (rate-limited with 403/429 and <c>X-RateLimit-Reset</c>).</summary>
    Repository,

    /// <summary>GET a repository that does not exist (404).</summary>
    MissingRepository,

    /// <summary>GET from a flaky service (503 with an HTTP-date <c>Retry-After</c>).</summary>
    Inventory,

    /// <summary>POST a charge (sometimes charged, then failed).</summary>
    Charge,

    /// <summary>GET a search (rate-limited with a bare 429 that names no wait).</summary>
    Search,
}
