namespace ResiliencePresets.Tests.Clients;

/// <summary>
/// Sends one request to a fresh test server outside any preset, so that the first request a test times with a short
/// timeout does not also pay for the server's and the HTTP stack's start-up on a loaded machine.
/// </summary>
internal static class ServerWarmUp
{
    public static async Task SendAsync(string url)
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri($"{url}/warm-up"));
    }
}
