using ResiliencePresets.Demo.Server;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// The seeded sequence of requests every client setup sends, and how each is built.
/// </summary>
public static class RequestPlan
{
    /// <summary>Gets the mix: each kind of request with its share, in percent.</summary>
    public static IReadOnlyList<(DemoEndpoint Endpoint, int Share)> Mix { get; } =
    [
        (DemoEndpoint.ChatCompletion, 20),
        (DemoEndpoint.Repository, 20),
        (DemoEndpoint.MissingRepository, 10),
        (DemoEndpoint.Inventory, 15),
        (DemoEndpoint.Charge, 15),
        (DemoEndpoint.Search, 20),
    ];

    public static IReadOnlyList<DemoEndpoint> Create(int count, int seed)
    {
#pragma warning disable CA5394 // A seeded, reproducible mix is the point; nothing here is secret.
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Pick(random.Next(100)))];
#pragma warning restore CA5394
    }

    /// <summary>Builds the request as an application would: no idempotency key, whatever the setup.</summary>
    public static HttpRequestMessage Build(DemoEndpoint endpoint, int requestId)
    {
        var request = endpoint switch
        {
            DemoEndpoint.ChatCompletion => Post(FlakyApi.ChatPath, """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}"""),
            DemoEndpoint.Repository => new HttpRequestMessage(HttpMethod.Get, FlakyApi.RepositoryPath),
            DemoEndpoint.MissingRepository => new HttpRequestMessage(HttpMethod.Get, FlakyApi.MissingRepositoryPath),
            DemoEndpoint.Inventory => new HttpRequestMessage(HttpMethod.Get, FlakyApi.InventoryPath),
            DemoEndpoint.Charge => Post(FlakyApi.ChargesPath, """{"amount":1299,"currency":"eur","source":"tok_visa"}"""),
            DemoEndpoint.Search => new HttpRequestMessage(HttpMethod.Get, FlakyApi.SearchPath + "?q=widgets"),
            _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, null),
        };
        request.Headers.Add(DemoHeaders.RequestId, requestId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    /// <summary>Returns the word the results use for a kind of request.</summary>
    public static string ShortName(DemoEndpoint endpoint) => endpoint switch
    {
        DemoEndpoint.ChatCompletion => "chat",
        DemoEndpoint.Repository => "repo",
        DemoEndpoint.MissingRepository => "missing repo",
        DemoEndpoint.Inventory => "inventory",
        DemoEndpoint.Search => "search",
        _ => "charge",
    };

    /// <summary>Returns the API a kind of request belongs to: the client an application registers for it.</summary>
    public static DemoApi ApiOf(DemoEndpoint endpoint) => endpoint switch
    {
        DemoEndpoint.ChatCompletion => DemoApi.OpenAi,
        DemoEndpoint.Repository or DemoEndpoint.MissingRepository => DemoApi.GitHub,
        DemoEndpoint.Inventory => DemoApi.Inventory,
        DemoEndpoint.Search => DemoApi.Search,
        _ => DemoApi.Payments,
    };

    private static DemoEndpoint Pick(int roll)
    {
        foreach (var (endpoint, share) in Mix)
        {
            if (roll < share)
            {
                return endpoint;
            }

            roll -= share;
        }

        return Mix[^1].Endpoint;
    }

    private static HttpRequestMessage Post(string path, string json)
        => new(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
}
