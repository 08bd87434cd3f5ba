using System.Globalization;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ResiliencePresets;

/// <summary>
/// Reports the registration's failure status (Degraded unless set) while any client that has sent through a preset has
/// its breaker open or is paused by its server, with each such client's name and until when; Healthy otherwise. The data
/// holds client names, breaker states and times only: never a URL or a header value.
/// </summary>
internal sealed class ResiliencePresetsHealthCheck : IHealthCheck
{
    private readonly ClientRuntimeRegistry _clients;
    private readonly TimeProvider _timeProvider;

    public ResiliencePresetsHealthCheck(ClientRuntimeRegistry clients, TimeProvider timeProvider)
    {
        _clients = clients;
        _timeProvider = timeProvider;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        var clients = _clients.All
            .Select(c => ClientAvailability.Read(c.Key, c.Value, now))
            .OrderBy(c => c.ClientName, StringComparer.Ordinal)
            .ToList();

        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        var holding = new StringBuilder();
        foreach (var client in clients)
        {
            AddData(data, client);
            if (client.IsHolding)
            {
                holding.Append(holding.Length == 0 ? string.Empty : "; ").Append(Describe(client));
            }
        }

        var result = holding.Length == 0
            ? HealthCheckResult.Healthy($"{Count(clients.Count)} with a preset {(clients.Count == 1 ? "accepts" : "accept")} requests.", data)
            : new HealthCheckResult(context.Registration.FailureStatus, $"{holding}.", data: data);
        return Task.FromResult(result);
    }

    private static string Count(int clients) => clients == 1 ? "1 client" : $"{clients} clients";

    private static void AddData(Dictionary<string, object> data, ClientAvailability client)
    {
        if (client.Breaker is { } state)
        {
            data[$"{client.ClientName}:circuit_breaker"] = ClientAvailability.StateName(state);
        }

        if (client.BreakerOpenUntil is { } openUntil)
        {
            data[$"{client.ClientName}:circuit_breaker_open_until"] = openUntil;
        }

        if (client.PausedUntil is { } pausedUntil)
        {
            data[$"{client.ClientName}:paused_until"] = pausedUntil;
        }
    }

    private static string Describe(ClientAvailability client)
    {
        var parts = new List<string>(2);
        if (client.BreakerOpenUntil is { } openUntil)
        {
            parts.Add($"circuit breaker open until {Time(openUntil)}");
        }
        else if (client.Breaker is Polly.CircuitBreaker.CircuitState.Isolated)
        {
            parts.Add("circuit breaker isolated");
        }

        if (client.PausedUntil is { } pausedUntil)
        {
            parts.Add($"paused by its server until {Time(pausedUntil)}");
        }

        return $"{client.ClientName}: {string.Join(", ", parts)}";
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
