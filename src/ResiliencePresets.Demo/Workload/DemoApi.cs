namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// The APIs the workload calls. An application registers one named client per API, so each setup runs one client
/// per API, and a rate limit or an outage of one API pauses or trips that API's client only.
/// </summary>
public enum DemoApi
{
    /// <summary>OpenAI's chat completions.</summary>
    OpenAi,

    /// <summary>GitHub: a repository, and one that does not exist.</summary>
    GitHub,

    /// <summary>An internal inventory service.</summary>
    Inventory,

    /// <summary>A Stripe-style payment provider.</summary>
    Payments,

    /// <summary>A search API behind a limiter that names no wait.</summary>
    Search,
}
