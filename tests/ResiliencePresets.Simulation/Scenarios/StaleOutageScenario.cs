using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// A 10 s outage of a read API whose URLs were fetched before, through ReadOnlyApi with and without
/// <c>Fallback:StaleIfError</c>: how many requests are answered stale, and whether any caller got another's response.
/// </summary>
public static class StaleOutageScenario
{
    /// <summary>The setups compared: off, a window longer than the outage, and one shorter than it.</summary>
    public static IReadOnlyList<(string Name, string StaleIfError)> Setups { get; } =
    [
        ("ReadOnlyApi", "00:00:00"),
        ("ReadOnlyApi, StaleIfError 5 min", "00:05:00"),
        ("ReadOnlyApi, StaleIfError 5 s", "00:00:05"),
    ];

    public static async Task<StaleOutageResult> RunAsync(string name, string staleIfError, StaleOutageSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var api = await AccountsApi.StartAsync();
        var setup = new ClientSetup(name, c => c.AddResiliencePreset("ReadOnlyApi"), new Dictionary<string, string?>
        {
            ["Fallback:StaleIfError"] = staleIfError,
            ["Retry:BaseDelay"] = "00:00:00.010",
            ["Retry:MaxDelay"] = "00:00:00.050",
        });
        using var host = ClientHost.Create("accounts", setup, api.BaseAddress);
        var client = host.Client();

        // Before the outage: every user fetches each of its URLs once.
        for (var user = 0; user < settings.Users; user++)
        {
            for (var item = 0; item < settings.ItemsPerUser; item++)
            {
                using var response = await client.SendAsync(Request(user, item));
                _ = await response.Content.ReadAsStringAsync();
            }
        }

        api.Down = true;
        var serverBefore = api.Requests;
        var (requests, stale, failed, crossUser, maxAge) = (0, 0, 0, 0, 0);
        var end = DateTime.UtcNow + settings.Outage;
        await Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(async worker =>
        {
            var random = new Random(worker);
            while (DateTime.UtcNow < end)
            {
                var (user, item) = (random.Next(settings.Users), random.Next(settings.ItemsPerUser));
                Interlocked.Increment(ref requests);
                try
                {
                    using var response = await client.SendAsync(Request(user, item));
                    var body = await response.Content.ReadAsStringAsync();
                    if (StaleResponse.IsStale(response))
                    {
                        Interlocked.Increment(ref stale);
                        var age = (int)(response.Headers.Age?.TotalSeconds ?? 0);
                        InterlockedMax(ref maxAge, age);
                        if (body != AccountsApi.Body(User(user), Item(item)))
                        {
                            Interlocked.Increment(ref crossUser);
                        }
                    }
                    else if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
#pragma warning disable CA1031 // A failure the caller sees is what is counted.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref failed);
                }

                await Task.Delay(settings.Think);
            }
        }));

        return new StaleOutageResult(name, staleIfError, requests, stale, failed, crossUser, maxAge, api.Requests - serverBefore);
    }

    private static string User(int user) => $"user{user.ToString(CultureInfo.InvariantCulture)}";

    private static string Item(int item) => item.ToString(CultureInfo.InvariantCulture);

    private static HttpRequestMessage Request(int user, int item)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{AccountsApi.Path}/{Item(item)}");
        request.Headers.Authorization = new("Bearer", User(user));
        return request;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
        {
            current = seen;
        }
    }
}
