using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ResiliencePresets.Demo.Results;
using ResiliencePresets.Demo.Server;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// Starts the embedded API, sends the same seeded workload through every chosen client setup at once, and measures
/// what happened: at the server, at a handler below each setup's retries, and at the caller. Each setup registers one
/// client per API, as applications do; the jitter of every setup (the presets' and the standard handler's) is drawn
/// from one <see cref="JitterSource"/> seeded with the run's seed.
/// </summary>
public static class DemoWorkload
{
    public static async Task<WorkloadReport> RunAsync(WorkloadSettings settings, Action<SetupProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var jitter = new JitterSource(settings.Seed);
        var setups = Choose(ClientSetupCatalog.Create(settings.Configuration.GetSection(DemoConfiguration.SectionName), jitter), settings.Setups);

        using var api = new FlakyApi(settings.Server, settings.Seed);
        using var learnedRates = new LearnedRateReader();
        var services = new ServiceCollection();
        services.AddSingleton(jitter);
        services.AddResiliencePresets(settings.Configuration.GetSection(DemoConfiguration.SectionName));
        var runs = setups.Select(setup => new SetupRun(setup, progress)).ToList();
        foreach (var run in runs)
        {
            foreach (var name in run.Setup.ClientNames)
            {
                var client = services.AddHttpClient(name, c =>
                {
                    c.BaseAddress = api.BaseAddress;
                    c.DefaultRequestHeaders.Authorization = new("Bearer", run.Setup.ApiKey);
                });
                run.Setup.Configure(client);

                // Added last, so it sits below the setup's retries and sees every attempt.
                client.AddHttpMessageHandler(() => new AttemptRecorder(run.Attempts, run.CountAttempt));
            }
        }

        await using var provider = services.BuildServiceProvider();

        // What a host does at start-up: a mistake in appsettings.json stops the demo here, with its configuration path.
        provider.GetService<IStartupValidator>()?.Validate();

        var factory = provider.GetRequiredService<IHttpClientFactory>();
        var plan = RequestPlan.Create(settings.RequestsPerSetup, settings.Seed);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(runs.Select(run => run.RunAsync(endpoint => factory.CreateClient(run.Setup.ClientName(RequestPlan.ApiOf(endpoint))), plan, settings.Interval, cancellationToken)));

        var rates = learnedRates.Read();
        var results = runs.Select(run => SetupResult.Measure(run.Setup, run.Outcomes, run.Attempts, api.LedgerFor(run.Setup.ApiKey))
            with { LearnedSearchRate = rates.TryGetValue(run.Setup.ClientName(DemoApi.Search), out var rate) ? rate : null }).ToList();
        return new WorkloadReport(settings.Seed, settings.RequestsPerSetup, clock.Elapsed, results);
    }

    private static List<ClientSetup> Choose(IReadOnlyList<ClientSetup> all, IReadOnlyCollection<string>? names)
    {
        if (names is null)
        {
            return [.. all];
        }

        var unknown = names.Where(n => !all.Any(s => string.Equals(s.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"No client setup is named {string.Join(", ", unknown)}; the setups are {string.Join(", ", all.Select(s => s.Name))}.", nameof(names));
        }

        return [.. all.Where(s => names.Contains(s.Name, StringComparer.OrdinalIgnoreCase))];
    }
}
