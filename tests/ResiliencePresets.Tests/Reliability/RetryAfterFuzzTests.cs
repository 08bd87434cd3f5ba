using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;
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

    private static readonly System.Buffers.SearchValues<char> NotInADuration = System.Buffers.SearchValues.Create("+-,eE ");

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
                if (RateLimitHeaders.TryReadQuota(response, now, out var quota) && (quota.Remaining < 0 || quota.ResetIn <= TimeSpan.Zero))
                {
                    failures.Add($"{Case(i, headers, now)}: quota {quota}");
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
    public void VendorResetParsers_GeneratedValues_NeverThrowAndReadOnlyWellFormedValues()
    {
        var random = new Random(FuzzRun.Seed);
        var generator = new HeaderValueGenerator(random);
        var count = FuzzRun.Count(5_000, 100_000);
        var failures = new List<string>();
        var (durations, instants) = (0, 0);

        for (var i = 0; i < count && failures.Count < 10; i++)
        {
            var duration = generator.Duration();
            var instant = generator.Instant();
            try
            {
                if (GoDuration.TryParse(duration, out var length))
                {
                    durations++;
                    if (length < TimeSpan.Zero || duration.AsSpan().Trim().ContainsAny(NotInADuration))
                    {
                        failures.Add($"seed {FuzzRun.Seed} case {i}: '{duration}' read as {length}");
                    }
                }

                if (Rfc3339Instant.TryParse(instant, out var moment))
                {
                    instants++;
                    var expected = DateTimeOffset.TryParse(instant.Trim().Replace(' ', 'T'), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : (DateTimeOffset?)null;
                    if (moment.Offset != TimeSpan.Zero || (expected is DateTimeOffset other && Math.Abs((other - moment).Ticks) > 1 && !instant.Contains(":60", StringComparison.Ordinal)))
                    {
                        failures.Add($"seed {FuzzRun.Seed} case {i}: '{instant}' read as {moment:O}, .NET reads {expected:O}");
                    }
                }
            }
            catch (Exception e)
            {
                failures.Add($"seed {FuzzRun.Seed} case {i}: '{duration}' or '{instant}' threw {e}");
            }
        }

        output.WriteLine($"seed {FuzzRun.Seed}: {count} values of each; {durations} durations and {instants} instants read");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(durations >= count / 10 && instants >= count / 10, $"only {durations} durations and {instants} instants were well formed");
    }

    [Fact]
    public async Task Pipeline_GeneratedServerWaits_ScheduledWaitStaysWithinMaxRetryAfterPlusPaddingAndTheTimeLeft()
    {
        var random = new Random(FuzzRun.Seed);
        var generator = new HeaderValueGenerator(random);
        var count = FuzzRun.Count(5_000, 100_000);
        using var metrics = new PresetMetrics();
        var failures = new List<string>();
        var (fromHeader, fromBackoff, fromLearnedRate, notRetried) = (0, 0, 0, 0);

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
            var preset = new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, "fuzz", options);
            var client = new ClientRuntime();
            PresetPipelineBuilder.Build(builder, preset, new PipelineServices(client, time, logs.CreateLogger("ResiliencePresets"), metrics, new Random(random.Next()).NextDouble));
            var pipeline = builder.Build();

            using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.test/resource");
            using var first = Response((HttpStatusCode)status[i % status.Length], headers);
            var asked = RetryAfterReader.TryRead(first, Start + elapsed, out var serverWait) ? serverWait.Delay : (TimeSpan?)null;
            var context = ResilienceContextPool.Shared.Get();
            context.SetRequestMessage(request);
            var attempts = 0;

            // The first attempt takes `elapsed` of the total timeout, then fails with the generated headers.
            var execution = client.ExecuteRequestAsync(pipeline, (_, _) =>
            {
                if (++attempts == 1)
                {
                    time.Advance(elapsed);
                    return ValueTask.FromResult(Outcome.FromResult(first));
                }

                return ValueTask.FromResult(Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
            }, context, 0, time).AsTask();

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

            if (source == "the client's learned rate")
            {
                // A rate signal that named no wait, retried into the client's learned bucket: no delay of its own.
                fromLearnedRate++;
                if (wait != TimeSpan.Zero || asked is not null)
                {
                    failures.Add($"{describe}: waits {wait} for the learned rate, though the server asked for {asked}");
                }
            }
            else if (source == "backoff")
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
                if (wait > options.Retry.MaxRetryAfter + ServerWaitSpread.Padding + Tolerance)
                {
                    failures.Add($"{describe}: waits {wait} ({source}), more than Retry:MaxRetryAfter plus {ServerWaitSpread.Padding.TotalMilliseconds} ms");
                }

                if (asked is not TimeSpan minimum || wait < minimum - Tolerance)
                {
                    failures.Add($"{describe}: waits {wait} ({source}), less than the {asked} the server asked for");
                }
            }
        }

        output.WriteLine($"seed {FuzzRun.Seed}: {count} generated failures; retried after the server's wait {fromHeader}, after backoff {fromBackoff}, into the learned rate {fromLearnedRate}, not retried {notRetried}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // The property means something only when many retries wait for the server.
        Assert.True(fromHeader >= count / 10, $"only {fromHeader} of {count} retries waited for the server");
    }

    [Fact]
    public async Task Pipeline_GeneratedHeadersOnAnyResponse_NeverThrowAndPauseOrPaceTheNextRequestsAtMostMaxRetryAfter()
    {
        var random = new Random(FuzzRun.Seed);
        var generator = new HeaderValueGenerator(random);
        var count = FuzzRun.Count(3_000, 60_000);
        using var metrics = new PresetMetrics();
        var failures = new List<string>();
        var (held, returned) = (0, 0);

        for (var i = 0; i < count && failures.Count < 10; i++)
        {
            var options = Options(random);
            var headers = generator.Headers();
            if (random.Next(2) == 0)
            {
                headers.InsertRange(random.Next(headers.Count + 1), generator.PlausibleQuota());
            }

            if (random.Next(3) == 0)
            {
                headers.Insert(random.Next(headers.Count + 1), generator.PlausibleWait());
            }

            var status = (int[])[200, 200, 200, 204, 429, 503, 403, 404, 500];
            var code = status[i % status.Length];

            // Sometimes near the end of DateTimeOffset, where a reset added to now has nowhere to go.
            var start = random.Next(8) == 0 ? DateTimeOffset.MaxValue - TimeSpan.FromDays(10) : Start;
            var describe = $"{Case(i, headers, start)} status {code}, TotalTimeout {options.TotalTimeout}, MaxRetryAfter {options.Retry.MaxRetryAfter}";
            var time = new TimerRecordingTimeProvider(start);
            var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
            var preset = new CompiledPreset(ResiliencePresetNames.ReadOnlyApi, "fuzz", options);
            var client = new ClientRuntime();
            PresetPipelineBuilder.Build(builder, preset, new PipelineServices(client, time, new CapturedLogs().CreateLogger("ResiliencePresets"), metrics, new Random(random.Next()).NextDouble));
            var pipeline = builder.Build();

            // The pause a response may start, plus its release jitter and padding: no attempt waits longer.
            var jitter = TimeSpan.FromTicks(Math.Min(options.Retry.MaxRetryAfter.Ticks / 10, TimeSpan.TicksPerSecond));
            var longestHold = options.Retry.MaxRetryAfter + jitter + ServerWaitSpread.Padding + Tolerance;

            // The generated response first, then plain 200s: the later requests meet whatever pause or pacing it taught.
            for (var request = 0; request < 3; request++)
            {
                var generated = request == 0 ? Response((HttpStatusCode)code, headers) : null;
                var called = 0;
                using var message = new HttpRequestMessage(HttpMethod.Get, "https://api.test/resource");
                var context = ResilienceContextPool.Shared.Get();
                context.SetRequestMessage(message);
                try
                {
                    time.Timers.Clear();
                    var execution = client.ExecuteRequestAsync(pipeline, (_, _) => ValueTask.FromResult(Outcome.FromResult(
                        Interlocked.Increment(ref called) == 1 && generated is not null ? generated : new HttpResponseMessage(HttpStatusCode.OK))), context, 0, time).AsTask();

                    // Until the first attempt starts, everything runs before the first await: when it has not started,
                    // the last timer created is its hold (after the total timeout's own timer).
                    if (Volatile.Read(ref called) == 0 && time.Timers.Count > 1)
                    {
                        held++;
                        if (time.Timers[^1] > longestHold)
                        {
                            failures.Add($"{describe}: request {request} held {time.Timers[^1]}, more than {longestHold}");
                        }
                    }

                    time.Advance(options.TotalTimeout + options.Retry.MaxRetryAfter + TimeSpan.FromSeconds(2));
                    var outcome = await execution;
                    // One jump of the fake clock fires every timer at once, so a total timeout may end a held or
                    // retried request, or a retry may find the client paused past its time left: those are the only
                    // exceptions allowed, and a refused request must say which response paused the client.
                    if (outcome.Exception is ClientPausedException { HeaderName: null or "(unknown)" } unexplained)
                    {
                        failures.Add($"{describe}: request {request} was refused without a reason: {unexplained.Message}");
                    }
                    else if (outcome.Exception is Exception e and not (TimeoutRejectedException or ClientPausedException))
                    {
                        failures.Add($"{describe}: request {request} failed with {e}");
                    }
                    else if (outcome.Result is HttpResponseMessage result)
                    {
                        returned++;
                        if (generated is not null && called == 1 && !ReferenceEquals(result, generated))
                        {
                            failures.Add($"{describe}: request {request} lost the server's response, got {result.StatusCode}");
                        }

                        result.Dispose();
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"{describe}: request {request} threw {e}");
                }
                finally
                {
                    generated?.Dispose();
                    ResilienceContextPool.Shared.Return(context);
                }
            }
        }

        output.WriteLine($"seed {FuzzRun.Seed}: {count} generated responses; {returned} requests returned a response, {held} were held first");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // The property means something only when many requests meet a pause or pacing.
        Assert.True(held >= count / 20, $"only {held} of {count * 3} requests were held");
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
