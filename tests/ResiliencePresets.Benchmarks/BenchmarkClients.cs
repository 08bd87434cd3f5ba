using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace ResiliencePresets.Benchmarks;

/// <summary>
/// Every benchmarked setup as a named client of one <see cref="IHttpClientFactory"/>, each over its own
/// <see cref="CannedResponseHandler"/> with the same script.
/// </summary>
internal sealed class BenchmarkClients : IDisposable
{
    public const string Plain = "Plain";
    public const string Standard = "Standard";

    private static readonly Uri BaseAddress = new("http://api.benchmark.invalid/");
    private static readonly Uri Target = new("v1/items", UriKind.Relative);

    private readonly ServiceProvider _services;

    /// <param name="script">The status codes each client's handler answers with, in turn.</param>
    /// <param name="failureRatio">The breaker's failure ratio in every setup.</param>
    /// <remarks>
    /// A script with a 429 turns the presets' rate learning off (<c>RateLimit:Adaptive</c>): every first attempt refused
    /// reads, rightly, as a server at its limit, and a preset that learns slows down to what this script admits, far
    /// below the rate the benchmark sends at, so its time would be waiting, not work. What a retried 429 costs is measured
    /// with learning off; what the learning does against real limiters, the load simulation measures.
    /// </remarks>
    public BenchmarkClients(HttpStatusCode[] script, double failureRatio)
    {
        var learnsRate = !script.Contains(HttpStatusCode.TooManyRequests);
        var services = new ServiceCollection();
        Add(services, Plain, script);
        Add(services, Standard, script).AddStandardResilienceHandler(options =>
        {
            options.Retry.Delay = TimeSpan.Zero;
            options.CircuitBreaker.FailureRatio = failureRatio;
        });

        foreach (var preset in Presets)
        {
            Add(services, Twin(preset), script).AddPollyTwin(preset, failureRatio);
            Add(services, Preset(preset), script).AddResiliencePreset(preset, options =>
            {
                options.Retry.BaseDelay = TimeSpan.Zero;
                options.CircuitBreaker.FailureRatio = failureRatio;

                // Every request of the retry path retries once, which the default budget (20 %) would refuse; the
                // twins have no budget. The largest ratio keeps the budget's bookkeeping in the measurement and
                // lets every retry happen, so all setups do the same work.
                options.RetryBudget.MaxRetryRatio = 10;
                options.RateLimit.Adaptive = learnsRate;
            });
        }

        // The same preset with HttpClient.Timeout set to infinite by the caller: a caller's timeout bounds the body
        // instead of the preset, so this client has no body bound at all, as the twins and the standard handler
        // (whose client's HttpClient.Timeout is infinite) have none. The difference to the preset is what the bound costs.
        Add(services, WithoutClientTimeout, script).AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, options =>
        {
            options.Retry.BaseDelay = TimeSpan.Zero;
            options.CircuitBreaker.FailureRatio = failureRatio;
            options.RetryBudget.MaxRetryRatio = 10;
            options.RateLimit.Adaptive = learnsRate;
        }).ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);

        _services = services.BuildServiceProvider();
    }

    /// <summary>Gets the name of the ReadOnlyApi preset client whose caller turned <see cref="HttpClient.Timeout"/> off.</summary>
    public static string WithoutClientTimeout => "ReadOnlyApiPresetNoClientTimeout";

    public static IReadOnlyList<string> Presets { get; } =
        [ResiliencePresetNames.ReadOnlyApi, ResiliencePresetNames.IdempotentWrite, ResiliencePresetNames.PaymentWithIdempotencyKey];

    public static string Twin(string preset) => preset + "Twin";

    public static string Preset(string preset) => preset + "Preset";

    /// <summary>
    /// Sends one GET and returns its final status code.
    /// </summary>
    public static async Task<HttpStatusCode> SendAsync(HttpClient client)
    {
        using var response = await client.GetAsync(Target);
        return response.StatusCode;
    }

    /// <summary>
    /// Creates a setup's client and checks that one request through it ends in 200, so that a benchmark never measures
    /// a setup that gave up or failed.
    /// </summary>
    public HttpClient Create(string name)
    {
        var client = _services.GetRequiredService<IHttpClientFactory>().CreateClient(name);
        var status = SendAsync(client).GetAwaiter().GetResult();
        return status == HttpStatusCode.OK
            ? client
            : throw new InvalidOperationException($"The {name} client ended its request with {(int)status}, not 200.");
    }

    public void Dispose() => _services.Dispose();

    private static IHttpClientBuilder Add(ServiceCollection services, string name, HttpStatusCode[] script)
        => services.AddHttpClient(name, client => client.BaseAddress = BaseAddress)
            .ConfigurePrimaryHttpMessageHandler(() => new CannedResponseHandler(script))

            // The benchmark holds its clients for the whole run; the handler chain is never rotated.
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
}
