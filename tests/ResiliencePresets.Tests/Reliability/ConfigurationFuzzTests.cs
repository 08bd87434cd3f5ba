using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Generated configuration sections through the real path: <c>AddResiliencePresets</c>, <c>AddResiliencePreset</c>,
/// the start-up validation and creating the client. 500 sections by default, 10,000 with <c>RELIABILITY_FULL=1</c>.
/// </summary>
public sealed class ConfigurationFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void GeneratedConfiguration_IsAcceptedOrRejectedWithOptionsValidationExceptionNamingEachPath()
    {
        var generator = new ConfigurationGenerator(new Random(FuzzRun.Seed));
        var count = FuzzRun.Count(500, 10_000);
        var failures = new List<string>();
        var (accepted, rejectedAtStart, rejectedClient) = (0, 0, 0);

        for (var i = 0; i < count && failures.Count < 30; i++)
        {
            var (values, preset) = generator.Next();
            var describe = $"seed {FuzzRun.Seed} case {i}, preset {preset}:\n  {string.Join("\n  ", values.Select(p => $"{p.Key} = '{p.Value}'"))}";
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
            var services = new ServiceCollection();
            services.AddResiliencePresets(configuration.GetSection(ConfigurationGenerator.Root));
            try
            {
                services.AddHttpClient(ConfigurationGenerator.ClientName, c => c.BaseAddress = new Uri("http://127.0.0.1:1")).AddResiliencePreset(preset);
            }
            catch (Exception e)
            {
                failures.Add($"{describe}\nAddResiliencePreset threw {e}");
                continue;
            }

            using var provider = services.BuildServiceProvider();
            var startFailed = Check(failures, describe, "start-up validation", () => provider.GetRequiredService<IStartupValidator>().Validate());
            var clientFailed = Check(failures, describe, "creating the client", () => provider.GetRequiredService<IHttpClientFactory>().CreateClient(ConfigurationGenerator.ClientName).Dispose());
            if (clientFailed && !startFailed)
            {
                failures.Add($"{describe}\nthe client was refused although the start-up validation passed");
            }

            (accepted, rejectedAtStart, rejectedClient) = (accepted + (startFailed ? 0 : 1), rejectedAtStart + (startFailed ? 1 : 0), rejectedClient + (clientFailed ? 1 : 0));
        }

        output.WriteLine($"seed {FuzzRun.Seed}: {count} generated configurations; accepted {accepted}, rejected at start-up {rejectedAtStart}, client refused {rejectedClient}");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(accepted > count / 20 && rejectedAtStart > count / 20, "the generator should produce both valid and invalid configurations");
    }

    // Returns whether the step was rejected; records a failure for anything but an OptionsValidationException whose every
    // message starts with the configuration path of the problem, or names the preset that is not known.
    private static bool Check(List<string> failures, string describe, string step, Action action)
    {
        try
        {
            action();
            return false;
        }
        catch (OptionsValidationException e)
        {
            foreach (var message in e.Failures.Where(m => !m.StartsWith($"{ConfigurationGenerator.Root}:", StringComparison.Ordinal) && !m.StartsWith("The resilience preset '", StringComparison.Ordinal)))
            {
                failures.Add($"{describe}\n{step}: a message names no configuration path: {message}");
            }

            if (!e.Failures.Any())
            {
                failures.Add($"{describe}\n{step}: rejected without a message");
            }

            return true;
        }
        catch (Exception e)
        {
            failures.Add($"{describe}\n{step} threw {e}");
            return true;
        }
    }
}
