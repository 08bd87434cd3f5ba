namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// What the application got back for one logical request, after every retry.
/// </summary>
/// <param name="RequestId">The logical request.</param>
/// <param name="Endpoint">What it asked for.</param>
/// <param name="Succeeded">Whether it got the answer it needed: a 2xx, or the 404 of the missing repository.</param>
/// <param name="Result">The final status code, or the exception's type name.</param>
/// <param name="Latency">From the call to its result, retries and waits included.</param>
public sealed record RequestOutcome(int RequestId, DemoEndpoint Endpoint, bool Succeeded, string Result, TimeSpan Latency);
