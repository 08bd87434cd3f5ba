namespace ResiliencePresets.Tests.Clients;

/// <summary>
/// The <c>ResiliencePresets</c> configuration the client recipes are tested with: one client's settings, with a short
/// backoff so that retries take milliseconds (server-requested waits are untouched).
/// </summary>
internal static class RecipeSettings
{
    /// <summary>The settings of one client, <paramref name="retries"/> retries and any further keys.</summary>
    public static string Client(string clientName, int retries, string more = "")
        => $$"""
        {
          "ResiliencePresets": {
            "Clients": {
              "{{clientName}}": {
                "Retry": { "MaxRetryAttempts": {{retries}}, "BaseDelay": "00:00:00.005", "MaxDelay": "00:00:00.020" }{{(more.Length == 0 ? "" : ", " + more)}}
              }
            }
          }
        }
        """;

    /// <summary>No retries, and a breaker that opens after two failed attempts and stays open for a minute.</summary>
    public static string QuickBreaker(string clientName)
        => Client(clientName, retries: 0, """ "CircuitBreaker": { "MinimumThroughput": 2, "BreakDuration": "00:01:00" } """);

    /// <summary>No retries, and a total timeout (2 s) short enough that a server's 10 s wait pauses the client for longer than a request may take.</summary>
    public static string ShortTotalTimeout(string clientName)
        => Client(clientName, retries: 0, """ "AttemptTimeout": "00:00:02", "TotalTimeout": "00:00:02" """);

    /// <summary>No retries, and a total timeout (300 ms) that a server slow to answer outlasts.</summary>
    public static string QuickTotalTimeout(string clientName)
        => Client(clientName, retries: 0, """ "AttemptTimeout": "00:00:00.300", "TotalTimeout": "00:00:00.300" """);
}
