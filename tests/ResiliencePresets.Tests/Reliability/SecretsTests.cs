using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using ResiliencePresets.Tests.TestSupport;
using static ResiliencePresets.Tests.TestSupport.FlakyServer;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Requests carrying secrets (Authorization, Cookie, Idempotency-Key, a query string) through every path that logs or
/// measures: status retries, server waits, attempt timeouts, a spent retry budget, a rate-limit rejection, a refused
/// connection and configuration reloads. Nothing secret may reach a log message, a structured value, a scope, an
/// exception that is logged, or a metric tag. Nor may a server's secrets, sent in headers the library reads (a limit's
/// name, a reset, a wait) or ignores, reach those, a span, an exception the caller gets or the health check.
/// </summary>
public sealed class SecretsTests
{
    private const string Authorization = "Bearer sk-auth-secret-7f3a91";
    private const string Cookie = "session=cookie-secret-91bd04";
    private const string Key = "idem-key-secret-55e1c2";
    private const string QueryToken = "query-secret-c0de77";

    private const string ServerSecret = "SECRET123";

    private static readonly string[] Secrets = [Authorization, "sk-auth-secret-7f3a91", Cookie, "cookie-secret-91bd04", Key, QueryToken];

    // The secret, and the long name it hides in: neither may appear, cut or whole.
    private static readonly string[] ServerSecrets = [ServerSecret, new string('x', 64), new string('S', 64)];

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
        // Only the client of the slow answer has a short attempt timeout: with it, a first request slowed by a cold start
        // would time out and leave the answer a scenario counts on (the 429 that names its wait) to no one.
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Clients": {
                "api": { {{PresetHost.FastBackoffJson}} },
                "slow": { {{PresetHost.FastBackoffJson}}, "AttemptTimeout": "00:00:00.300" },
                "pay": { {{PresetHost.FastBackoffJson}} },
                "stingy": { {{PresetHost.FastBackoffJson}}, "RetryBudget": { "MinRetries": 0, "MaxRetryRatio": 0 } },
                "limited": { "RateLimit": { "PermitsPerSecond": 1, "Burst": 1, "QueueLimit": 0 } },
                "down": { {{PresetHost.FastBackoffJson}} }
            } } }
            """, server.Url, (services, url) =>
        {
            foreach (var name in (string[])["api", "slow", "stingy", "limited"])
            {
                services.AddHttpClient(name, c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
            }

            services.AddHttpClient("pay", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey);
            services.AddHttpClient("down", c => c.BaseAddress = new Uri(down)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
        });
        var api = host.Client("api");

        (await api.SendAsync(Secret(HttpMethod.Get, "/status"))).Dispose();
        (await api.SendAsync(Secret(HttpMethod.Get, "/wait"))).Dispose();
        (await host.Client("slow").SendAsync(Secret(HttpMethod.Get, "/slow"))).Dispose();
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

    [Fact]
    public async Task PausesBreakerThrottlingHedgingAndFallback_WithSecretsSentAndAnswered_NoSecretReachesLogsMetricsSpansExceptionsOrHealth()
    {
        using var server = new FlakyServer();
        server.Respond("/gh", Status(429, Hostile(("Retry-After", "40"), ("x-ratelimit-resource", $"{ServerSecret} {new string('x', 80)}"))));
        server.Respond("/ietf", Status(429, Hostile(("RateLimit", $"\"{ServerSecret} policy\";r=0;t=40"), ("RateLimit-Policy", $"\"{ServerSecret}\";q=10;w=60"))));
        server.Respond("/long", Status(429, Hostile(("RateLimit", $"\"{new string('S', 65)}{ServerSecret}\";r=0;t=40"))));
        server.Respond("/waits", Status(503, Hostile(("Retry-After", ServerSecret))), Status(429, Hostile(("retry-after-ms", "20"), ("x-ratelimit-reset", ServerSecret))), Status(200, Hostile()));
        server.Respond("/broken", Status(503, Hostile()));
        server.Respond("/warm", Status(200));
        server.Respond("/throttled", Status(429, Hostile(("x-ratelimit-remaining", ServerSecret))));
        server.RespondSlowOnce("/hedged", TimeSpan.FromMilliseconds(400));
        server.Respond("/stale", Status(200, Hostile(("Cache-Control", "max-age=0"))), Status(503, Hostile()));
        server.Respond("/charges", Status(503, Hostile()), Status(201, Hostile()));
        var measured = new ConcurrentQueue<string>();
        var traced = new ConcurrentQueue<string>();
        var thrown = new List<string>();
        using var listener = Listen(measured);
        using var tracer = Trace(traced);
        const string Held = $$"""{{PresetHost.FastBackoffJson}}, "Retry": { "MaxRetryAttempts": 0, "MaxRetryAfter": "00:01:00" }, "AttemptTimeout": "00:00:04", "TotalTimeout": "00:00:05" """;
        using var host = PresetHost.Create($$"""
            { "ResiliencePresets": { "Clients": {
                "gh": { {{Held}} }, "ietf": { {{Held}} }, "long": { {{Held}} },
                "waits": { {{PresetHost.FastBackoffJson}} },
                "broken": { "Retry": { "MaxRetryAttempts": 0 }, "CircuitBreaker": { "MinimumThroughput": 2 } },
                "throttled": { "Retry": { "MaxRetryAttempts": 0 }, "RateLimit": { "Adaptive": true } },
                "hedged": { {{PresetHost.FastBackoffJson}}, "Hedging": { "Enabled": true, "Percentile": 0, "Delay": "00:00:00.020" } },
                "stale": { "Retry": { "MaxRetryAttempts": 0 }, "Fallback": { "StaleIfError": "00:05:00" } },
                "pay": { {{PresetHost.FastBackoffJson}} }
            } } }
            """, server.Url, (services, url) =>
        {
            foreach (var name in (string[])["gh", "ietf", "long", "waits", "broken", "throttled", "hedged", "stale"])
            {
                services.AddHttpClient(name, c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi);
            }

            services.AddHttpClient("pay", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.PaymentWithIdempotencyKey);
            services.AddHealthChecks().AddResiliencePresets();
        });

        // A request with an idempotency key is never hedged, so the hedged one goes without.
        async Task Send(string client, HttpMethod method, string path, bool idempotencyKey = true)
        {
            try
            {
                using var request = Secret(method, path, ServerSecret);
                if (!idempotencyKey)
                {
                    request.Headers.Remove("Idempotency-Key");
                }

                using var response = await host.Client(client).SendAsync(request);
                await response.Content.ReadAsStringAsync();
            }
            catch (Exception e) when (e is HttpRequestException or Polly.ExecutionRejectedException)
            {
                thrown.Add(e.ToString());
            }
        }

        foreach (var client in (string[])["gh", "ietf", "long"])
        {
            await Send(client, HttpMethod.Get, $"/{client}");
            await Send(client, HttpMethod.Get, $"/{client}");
        }

        await Send("waits", HttpMethod.Get, "/waits");
        for (var i = 0; i < 5; i++)
        {
            await Send("broken", HttpMethod.Get, "/broken");
        }

        for (var i = 0; i < 20; i++)
        {
            await Send("throttled", HttpMethod.Get, "/warm");
        }

        await Send("throttled", HttpMethod.Get, "/throttled");
        await Send("hedged", HttpMethod.Get, "/hedged", idempotencyKey: false);
        await Send("stale", HttpMethod.Get, "/stale");
        await Send("stale", HttpMethod.Get, "/stale");
        await Send("pay", HttpMethod.Post, "/charges");
        var health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        listener.RecordObservableInstruments();

        var entry = health.Entries["resiliencepresets"];
        var reported = string.Join('\n', [entry.Description, .. entry.Data.Select(d => $"{d.Key}={d.Value}")]);
        var logged = host.Logs.AllText();
        var places = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["logs"] = logged,
            ["metrics"] = string.Join('\n', measured),
            ["spans"] = string.Join('\n', traced),
            ["exceptions"] = string.Join('\n', thrown),
            ["health"] = reported,
        };
        Assert.All(places, place => Assert.All(ServerSecrets, secret => Assert.DoesNotContain(secret, place.Value, StringComparison.Ordinal)));

        // Every scenario happened and was seen, so the absence above means something.
        var events = host.Logs.Entries.Select(e => e.EventId.Name).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(new HashSet<string?>(["RetryScheduled", "ThrottlingStarted", "StaleAnswered"], StringComparer.Ordinal), events);
        Assert.Equal(3, thrown.Count(e => e.Contains(nameof(ClientPausedException), StringComparison.Ordinal)));
        Assert.Contains(thrown, e => e.Contains(nameof(BrokenCircuitException), StringComparison.Ordinal));
        Assert.Contains("paused by its server", reported, StringComparison.Ordinal);
        Assert.Contains("circuit breaker open", reported, StringComparison.Ordinal);
        Assert.Contains("resiliencepresets.hedges", places["metrics"], StringComparison.Ordinal);
        Assert.Contains("resiliencepresets.client.pause.remaining", places["metrics"], StringComparison.Ordinal);
        Assert.Contains("url.full=", places["spans"], StringComparison.Ordinal);
    }

    // The one text a server sends that is written anywhere: a limit's name that passes RateScopeName, in the refusal's
    // message (and so in a log that prints the refusal), never in a line of the library's own, a metric tag or a span.
    [Fact]
    public async Task ServerNamedLimit_IsWrittenOnlyInTheRefusalThatNamesIt()
    {
        const string Limit = "search-SECRET123";
        using var server = new FlakyServer();
        server.Respond("/search", Status(429, Hostile(("Retry-After", "40"), ("x-ratelimit-resource", Limit))));
        var measured = new ConcurrentQueue<string>();
        var traced = new ConcurrentQueue<string>();
        using var listener = Listen(measured);
        using var tracer = Trace(traced);
        using var host = PresetHost.Create("""
            { "ResiliencePresets": { "Clients": { "named": {
                "Retry": { "MaxRetryAttempts": 0, "MaxRetryAfter": "00:01:00" }, "AttemptTimeout": "00:00:04", "TotalTimeout": "00:00:05" } } } }
            """, server.Url, (services, url) => services.AddHttpClient("named", c => c.BaseAddress = new Uri(url)).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi));
        var named = host.Client("named");

        (await named.SendAsync(Secret(HttpMethod.Get, "/search", ServerSecret))).Dispose();
        var refused = await Assert.ThrowsAsync<ClientPausedException>(() => named.SendAsync(Secret(HttpMethod.Get, "/search", ServerSecret)));
        listener.RecordObservableInstruments();

        Assert.EndsWith($"The server named its limit '{Limit}'; requests under other limits are not held.", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", refused.Message, StringComparison.Ordinal);
        Assert.All(host.Logs.Entries.Where(e => e.AllText.Contains(ServerSecret, StringComparison.Ordinal)), e => Assert.Contains(refused.Message, e.AllText, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Category.StartsWith("ResiliencePresets", StringComparison.Ordinal) && e.Message.Contains(ServerSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(ServerSecret, string.Join('\n', measured), StringComparison.Ordinal);
        Assert.DoesNotContain(ServerSecret, string.Join('\n', traced), StringComparison.Ordinal);
    }

    // A server's reply with a secret in every header a server might put one in, besides those the scenario needs.
    private static (string Name, string Value)[] Hostile(params (string Name, string Value)[] headers) =>
    [
        .. headers,
        ("Set-Cookie", $"session={ServerSecret}"),
        ("WWW-Authenticate", $"Bearer realm=\"{ServerSecret}\""),
        ("x-request-id", ServerSecret),
        ("Location", $"/next?api_key={ServerSecret}"),
    ];

    private static HttpRequestMessage Secret(HttpMethod method, string path, string? secret = null)
    {
        var request = new HttpRequestMessage(method, $"{path}?{(secret is null ? $"token={QueryToken}" : $"api_key={secret}")}&page=2");
        request.Headers.TryAddWithoutValidation("Authorization", secret is null ? Authorization : $"Bearer {secret}");
        request.Headers.TryAddWithoutValidation("Cookie", secret is null ? Cookie : $"session={secret}");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", secret ?? Key);
        if (secret is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Api-Key", secret);
        }

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
                if (instrument.Meter.Name is PresetMetrics.MeterName or "Polly" or "System.Net.Http")
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

    // Every span of every source, as "source/name key=value ... event key=value ...".
    private static ActivityListener Trace(ConcurrentQueue<string> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                var text = new System.Text.StringBuilder($"{activity.Source.Name}/{activity.OperationName} {activity.DisplayName} {activity.StatusDescription}");
                foreach (var (key, value) in activity.TagObjects)
                {
                    text.Append(' ').Append(key).Append('=').Append(value);
                }

                foreach (var e in activity.Events)
                {
                    text.Append(" event ").Append(e.Name);
                    foreach (var (key, value) in e.Tags)
                    {
                        text.Append(' ').Append(key).Append('=').Append(value);
                    }
                }

                foreach (var (key, value) in activity.Baggage)
                {
                    text.Append(" baggage ").Append(key).Append('=').Append(value);
                }

                spans.Enqueue(text.ToString());
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
