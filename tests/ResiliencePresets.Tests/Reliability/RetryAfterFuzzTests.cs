using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;
using ResiliencePresets.Tests.TestSupport;
using Xunit.Abstractions;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Generated header values against the Retry-After reader and the retry pipeline: 5,000 values by default, 100,000
/// with <c>RELIABILITY_FULL=1</c> (docs/reliability.md). A failure prints the seed, the case number and its headers.
/// </summary>
public sealed class RetryAfterFuzzTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    // Timers and the logged delay round to whole microseconds at worst.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMicroseconds(1);

    [Fact]
    public void TryRead_GeneratedHeaders_NeverThrowsAndReturnsOnlyPositiveWaitsFromAKnownHeader()
    {
        var random = new Random(FuzzRun.Seed);
        var generator = new HeaderValueGenerator(random);
        var count = FuzzRun.Count(5_000, 100_000);
        var failures = new List<string>();
        var found = 0;

        for (var i = 0; i < count && failures.Count < 10; i++)
        {
            var headers = generator.Headers();
            var now = generator.Now();
            using var response = Response(HttpStatusCode.TooManyRequests, headers);
            try
            {
                if (RetryAfterReader.TryRead(response, now, out var value))
                {
                    found++;
                    if (value.Delay <= TimeSpan.Zero || !HeaderValueGenerator.KnownNames.Contains(value.HeaderName, StringComparer.Ordinal))
                    {
                        failures.Add($"{Case(i, headers, now)}: returned {value.Delay} from '{value.HeaderName}'");
                    }
                }

                // The other readers of the same headers: quota pacing and the rate-limited 403.
                if (RateLimitHeaders.TryReadQuota(response, now, out var remaining, out var resetIn) && (remaining < 0 || resetIn <= TimeSpan.Zero))
                {
                    failures.Add($"{Case(i, headers, now)}: quota {remaining} resetting in {resetIn}");
                }

                _ = RateLimitHeaders.IsExhausted(response);
            }
            catch (Exception e)
            {
                failures.Add($"{Case(i, headers, now)}: threw {e}");
            }
        }

        output.WriteLine($"seed {FuzzRun.Seed}: {count} generated responses, {found} with a usable wait");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Pipeline_GeneratedServerWaits_ScheduledWaitStaysWithinMaxRetryAfterPlusPaddingAndTheTimeLeft()
    {
        var random = new Random(FuzzRun.Seed);
        var generator = new HeaderValueGenerator(random);
        var count = FuzzRun.Count(5_000, 100_000);
        using var metrics = new PresetMetrics();
        var failures = new List<string>();
        var (fromHeader, fromBackoff, notRetried) = (0, 0, 0);

        for (var i = 0; i < count && failures.Count < 10; i++)
        {
            var options = Options(random);
            Assert.Empty(ResiliencePresetOptionsValidator.Validate(options));
            var headers = generator.Headers();
            if (random.Next(2) == 0)
            {
                headers.Insert(random.Next(headers.Count + 1), generator.PlausibleWait());
            }

            var status = (int[])[429, 503, 503, 500, 403, 408];
            var elapsed = TimeSpan.FromTicks(random.NextInt64(0, options.TotalTimeout.Ticks / 5 * 6));
            var describe = $"{Case(i, headers, Start + elapsed)} status {status[i % status.Length]}, elapsed {elapsed}, TotalTimeout {options.TotalTimeout}, MaxRetryAfter {options.Retry.MaxRetryAfter}, MaxDelay {options.Retry.MaxDelay}";

            var time = new FakeTimeProvider(Start);
            var logs = new CapturedLogs();
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
            var policy = new PresetPolicy(ResiliencePresetNames.ReadOnlyApi, "fuzz", options);
            PresetPipelineBuilder.Build(builder, policy, new PresetRuntime(new ClientState(), time, logs.CreateLogger("ResiliencePresets"), metrics, new Random(random.Next()).NextDouble));
            var pipeline = builder.Build();

            using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/resource");
            using var first = Response((HttpStatusCode)status[i % status.Length], headers);
            var asked = RetryAfterReader.TryRead(first, Start + elapsed, out var serverWait) ? serverWait.Delay : (TimeSpan?)null;
            var context = ResilienceContextPool.Shared.Get();
            context.SetRequestMessage(request);
            var attempts = 0;

            // The first attempt takes `elapsed` of the total timeout, then fails with the generated headers.
            var execution = pipeline.ExecuteOutcomeAsync((_, _) =>
            {
                if (++attempts == 1)
                {
                    time.Advance(elapsed);
                    return ValueTask.FromResult(Outcome.FromResult(first));
                }

                return ValueTask.FromResult(Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
            }, context, 0).AsTask();

            // The retry's wait is scheduled before the first await; the log says how long it is and where it came from.
            var scheduled = logs.Entries.FirstOrDefault(e => e.EventId.Name == "RetryScheduled");
            time.Advance(options.TotalTimeout + options.Retry.MaxRetryAfter + TimeSpan.FromSeconds(2));
            (await execution).Result?.Dispose();
            ResilienceContextPool.Shared.Return(context);

            if (scheduled is null)
            {
                notRetried++;
                continue;
            }

            var wait = TimeSpan.FromMilliseconds((double)scheduled.Values.Single(v => v.Key == "DelayMs").Value!);
            var source = (string)scheduled.Values.Single(v => v.Key == "DelaySource").Value!;
            var left = options.TotalTimeout - elapsed;
            if (wait < TimeSpan.Zero || wait > left + Tolerance)
            {
                failures.Add($"{describe}: waits {wait}, but only {left} of TotalTimeout is left");
            }

            if (source == "backoff")
            {
                fromBackoff++;
                if (wait > options.Retry.MaxDelay + Tolerance)
                {
                    failures.Add($"{describe}: backoff of {wait} exceeds Retry:MaxDelay");
                }
            }
            else
            {
                fromHeader++;
                if (wait > options.Retry.MaxRetryAfter + ServerWaitPadding.Padding + Tolerance)
                {
                    failures.Add($"{describe}: waits {wait} ({source}), more than Retry:MaxRetryAfter plus {ServerWaitPadding.Padding.TotalMilliseconds} ms");
                }

                if (asked is not TimeSpan minimum || wait < minimum - Tolerance)
                {
                    failures.Add($"{describe}: waits {wait} ({source}), less than the {asked} the server asked for");
                }
            }
        }

        output.WriteLine($"seed {FuzzRun.Seed}: {count} generated failures; retried after the server's wait {fromHeader}, after backoff {fromBackoff}, not retried {notRetried}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // The property means something only when many retries wait for the server.
        Assert.True(fromHeader >= count / 10, $"only {fromHeader} of {count} retries waited for the server");
    }

    private static ResiliencePresetOptions Options(Random random)
    {
        var options = new ResiliencePresetOptions();
        options.Methods["GET"] = MethodRetryRule.Retry;
        options.Retry.MaxRetryAttempts = random.Next(1, 11);
        options.Retry.MaxRetryAfter = Span(random, TimeSpan.Zero, TimeSpan.FromDays(1), skew: 2);
        options.Retry.MaxDelay = Span(random, TimeSpan.Zero, TimeSpan.FromHours(1));
        options.Retry.BaseDelay = Span(random, TimeSpan.Zero, options.Retry.MaxDelay);
        options.TotalTimeout = Span(random, TimeSpan.FromMilliseconds(10), TimeSpan.FromDays(1), skew: 2);
        options.AttemptTimeout = Span(random, TimeSpan.FromMilliseconds(10), options.TotalTimeout);
        return options;
    }

    // Mostly short spans, sometimes the whole range, and the ends themselves.
    private static TimeSpan Span(Random random, TimeSpan min, TimeSpan max, int skew = 6) => random.Next(10) switch
    {
        0 => min,
        1 => max,
        _ => min + TimeSpan.FromTicks((long)((max - min).Ticks * Math.Pow(random.NextDouble(), skew))),
    };

    private static HttpResponseMessage Response(HttpStatusCode status, List<(string Name, string Value)> headers)
    {
        var response = new HttpResponseMessage(status);
        foreach (var (name, value) in headers)
        {
            // Values a server could not send (with line breaks, say) are refused here as the parser would refuse them.
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    private static string Case(int index, List<(string Name, string Value)> headers, DateTimeOffset now)
        => $"seed {FuzzRun.Seed} case {index} at {now.ToString("O", CultureInfo.InvariantCulture)} [{string.Join(" | ", headers.Select(h => $"{h.Name}: {h.Value}"))}]";
}
