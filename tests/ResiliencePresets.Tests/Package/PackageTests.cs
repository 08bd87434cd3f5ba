using System.IO.Compression;
using System.Xml.Linq;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Package;

/// <summary>
/// Packs the library as a release would and uses the package from a new project, so that a broken package cannot land.
/// </summary>
public sealed class PackageTests
{
    private const string ConsumerProgram = """
        using Microsoft.Extensions.DependencyInjection;
        using ResiliencePresets;

        var attempts = 0;
        var services = new ServiceCollection();
        services.AddHttpClient("api", c => c.BaseAddress = new Uri("http://consumer.test"))
            .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1))
            .ConfigurePrimaryHttpMessageHandler(() => new Canned(() => ++attempts == 1 ? 503 : 200));
        using var provider = services.BuildServiceProvider();
        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync("/");
        Console.WriteLine($"status={(int)response.StatusCode} attempts={attempts}");

        sealed class Canned(Func<int> status) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                => Task.FromResult(new HttpResponseMessage((System.Net.HttpStatusCode)status()));
        }
        """;

    [Fact]
    public async Task Pack_ProducesAPackageANewProjectCanRestoreAndUse()
    {
        var root = DotnetCli.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("resiliencepresets-pack-");
        var version = $"0.0.0-check.{Guid.NewGuid():N}";
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            await DotnetCli.Run(root, "pack", "src/ResiliencePresets/ResiliencePresets.csproj", "-c", "Release", "-o", feed, $"-p:PackageVersion={version}");

            AssertPackageContents(Path.Combine(feed, $"ResiliencePresets.{version}.nupkg"));
            Assert.True(File.Exists(Path.Combine(feed, $"ResiliencePresets.{version}.snupkg")), "The symbols package is missing.");

            var consumer = Path.Combine(work.FullName, "consumer");
            Directory.CreateDirectory(consumer);
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <configuration><packageSources><add key="checked-package" value="{feed}" /></packageSources></configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <NoWarn>$(NoWarn);NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="ResiliencePresets" Version="{version}" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), ConsumerProgram);

            var output = await DotnetCli.Run(consumer, "run");

            Assert.Contains("status=200 attempts=2", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
            var cached = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "resiliencepresets", version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
    }

    private static void AssertPackageContents(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
        foreach (var framework in new[] { "net10.0" })
        {
            Assert.Contains($"lib/{framework}/ResiliencePresets.dll", entries);
            Assert.Contains($"lib/{framework}/ResiliencePresets.xml", entries);
        }

        Assert.Contains("README.md", entries);
        using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("polly", Value("tags"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
    }
}
