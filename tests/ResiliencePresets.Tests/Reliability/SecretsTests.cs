using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Polly.RateLimiting;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Requests carrying secrets (Authorization, Cookie, Idempotency-Key, a query string) through every path that logs or
/// measures: status retries, server waits, attempt timeouts, a spent retry budget, a rate-limit rejection, a refused
/// connection and configuration reloads. Nothing secret may reach a log message, a structured value, a scope, an
/// exception that is logged, or a metric tag.
/// </summary>
public sealed class SecretsTests
{
    private const string Authorization = "Bearer sk-auth-secret-7f3a91";
    private const string Cookie = "session=cookie-secret-91bd04";
    private const string Key = "idem-key-secret-55e1c2";
    private const string QueryToken = "query-secret-c0de77";

    private static readonly string[] Secrets = [Authorization, "sk-auth-secret-7f3a91", Cookie, "cookie-secret-91bd04", Key, QueryToken];

    [Fact]
    public async Task RetryingScenarios_WithSecretHeadersAndQueryString_NoSecretReachesLogsScopesOrMetricTags()
    {
        using var server = new FlakyServer();
        server.Respond("/status", Status(503), Status(200));
        server.Respond("/wait", Status(429, ("retry-after-ms", "20")), Status(200));
        server.Respond("/budget", Status(503));
        server.Respond("/declined", Status(503));
        server.Respond("/charges", Status(503), Status(201));
        server.Respond("/limited", Status(200));
        server.RespondSlowOnce("/slow", TimeSpan.FromMilliseconds(600));
        var down = ClosedPort.Url();
        var tags = new ConcurrentQueue<string>();
        using var listener = Listen(tags);
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Clients": {
                "api": { {{PresetHost.FastBackoffJson}}, "AttemptTimeout": "00:00:00.300" },
                "pay": { {{PresetHost.FastBackoffJson}} },
                "stingy": { {{PresetHost.FastBackoffJson}}, "RetryBudget": { "MinRetries": 0, "MaxRetryRatio": 0 } },
                "limited": { "RateLimit": { "PermitsPerSecond": 1, "Burst": 1, "QueueLimit": 0 } },
                "down": { {{PresetHost.FastBackoffJson}} }
            } } }
            """, server.Url, (services, url) =>
        {
            foreach (var name in (string[])["api", "stingy", "limited"])
            {
                services.AddHttpClient(name, c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
            }

            services.AddHttpClient("pay", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey);
            services.AddHttpClient("down", c => c.BaseAddress = new Uri(down)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        });
        var api = host.Client("api");

        (await api.SendAsync(Secret(HttpMethod.Get, "/status"))).Dispose();
        (await api.SendAsync(Secret(HttpMethod.Get, "/wait"))).Dispose();
        (await api.SendAsync(Secret(HttpMethod.Get, "/slow"))).Dispose();
        (await api.SendAsync(Secret(HttpMethod.Post, "/declined"))).Dispose();
        (await host.Client("stingy").SendAsync(Secret(HttpMethod.Get, "/budget"))).Dispose();
        (await host.Client("pay").SendAsync(Secret(HttpMethod.Post, "/charges"))).Dispose();
        await Assert.ThrowsAsync<HttpRequestException>(() => host.Client("down").SendAsync(Secret(HttpMethod.Get, "/refused")));
        var limited = host.Client("limited");
        var burst = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            try
            {
                (await limited.SendAsync(Secret(HttpMethod.Get, "/limited"))).Dispose();
                return "sent";
            }
            catch (RateLimiterRejectedException)
            {
                return "rejected";
            }
        }));
        host.Change("ResiliencePresets:Clients:api:Retry:MaxRetryAttempts", "2");
        (await api.SendAsync(Secret(HttpMethod.Get, "/status"))).Dispose();
        host.Change("ResiliencePresets:Clients:api:Retry:MaxRetryAttempts", "-1");
        (await api.SendAsync(Secret(HttpMethod.Get, "/status"))).Dispose();

        var logged = host.Logs.AllText();
        var measured = string.Join('\n', tags);
        Assert.All(Secrets, secret =>
        {
            Assert.DoesNotContain(secret, logged, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, measured, StringComparison.Ordinal);
        });

        // Every scenario happened and was logged and measured, so the absence above means something.
        var events = host.Logs.Entries.Select(e => e.EventId.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string?>(["RetryScheduled", "RetryDeclined", "RateLimitRejected", "ConfigurationApplied", "ConfigurationRejected"], StringComparer.Ordinal), events);
        Assert.Contains("TimeoutRejectedException", logged, StringComparison.Ordinal);
        Assert.Contains("retry budget is spent", logged, StringComparison.Ordinal);
        Assert.Contains("retry-after-ms", logged, StringComparison.Ordinal);
        Assert.Contains("rejected", burst);
        Assert.Contains("scope=HTTP GET", logged, StringComparison.Ordinal);
        Assert.Contains("resiliencepresets.retries", measured, StringComparison.Ordinal);
        Assert.Contains("Polly/", measured, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Secret(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, $"{path}?token={QueryToken}&page=2");
        request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        request.Headers.TryAddWithoutValidation("Cookie", Cookie);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", Key);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("{\"amount\":100}");
        }

        return request;
    }

    // Every measurement of the library's meter and of Polly's, as "meter/instrument tag=value ...".
    private static MeterListener Listen(ConcurrentQueue<string> measurements)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name is PresetMetrics.MeterName or "Polly")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var text = new System.Text.StringBuilder($"{instrument.Meter.Name}/{instrument.Name}");
            foreach (var (key, value) in tags)
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }

            measurements.Enqueue(text.ToString());
        }

        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<int>((instrument, _, tags, _) => Record(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Record(instrument, tags));
        listener.Start();
        return listener;
    }
}
