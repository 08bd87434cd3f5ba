using System.IO.Compression;
using System.Reflection.Metadata;
using System.Text.Json;
using System.Xml.Linq;
using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Package;

/// <summary>
/// Packs every packable project under src/ as a release would, from a git clone hosted on GitHub, checks each package's
/// README (PACKAGE.md as it is), license, dependencies, XML docs, symbols and SourceLink, and uses the packages (the
/// presets, the health check and the pushback middleware) from a new project, so that a broken package cannot land. A project added under src/ with <c>IsPackable</c> set is covered without changing this test.
/// </summary>
public sealed class PackageTests
{
    // A GitHub remote, as a release clone has; SourceLink derives the source URLs from it.
    private const string Remote = "https://github.com/resiliencepresets/ResiliencePresets.git";
    private const string RawSources = "https://raw.githubusercontent.com/resiliencepresets/ResiliencePresets";

    // The portable PDB records: https://github.com/dotnet/runtime/blob/main/docs/design/specs/PortablePdb-Metadata.md
    private static readonly Guid SourceLinkRecord = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");
    private static readonly Guid EmbeddedSourceRecord = new("0E8A571B-6926-466E-B4AD-8AB04611F5FE");

    private const string ConsumerProgram = """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Diagnostics.HealthChecks;
        using Microsoft.Extensions.Logging;
        using ResiliencePresets;

        var attempts = 0;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddResiliencePresets();
        services.AddHttpClient("api", c => c.BaseAddress = new Uri("http://consumer.test"))
            .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1))
            .ConfigurePrimaryHttpMessageHandler(() => new Canned(() => ++attempts == 1 ? 503 : 200));
        using var provider = services.BuildServiceProvider();
        using var response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync("/");
        var health = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Console.WriteLine($"status={(int)response.StatusCode} attempts={attempts} health={health.Status}");

        // ResiliencePresets.AspNetCore: the Microsoft.AspNetCore.App reference comes with its package.
        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders();
        web.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        web.Services.AddHttpClient("dependency", c => c.BaseAddress = new Uri("http://dependency.test"))
            .AddResiliencePreset(ResiliencePresetNames.ReadOnlyApi, o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(1))
            .ConfigurePrimaryHttpMessageHandler(() => new Canned(() => 503));
        await using var app = web.Build();
        app.UseResiliencePresetsPushback();
        app.MapGet("/", async (IHttpClientFactory f) =>
        {
            using var down = await f.CreateClient("dependency").GetAsync("/");
            return Results.StatusCode(502);
        });
        await app.StartAsync();
        using var caller = new HttpClient();
        using var marked = await caller.GetAsync(app.Urls.Single());
        Console.WriteLine($"pushback={(int)marked.StatusCode} x-should-retry={string.Join(",", marked.Headers.TryGetValues("x-should-retry", out var v) ? v : [])}");

        sealed class Canned(Func<int> status) : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                => Task.FromResult(new HttpResponseMessage((System.Net.HttpStatusCode)status()));
        }
        """;

    [Fact]
    public async Task Pack_EveryPackageHasItsReadmeLicenseDocsSymbolsAndSourceLink_AndANewProjectCanUseThem()
    {
        var work = Directory.CreateTempSubdirectory("resiliencepresets-pack-");
        var version = $"0.0.0-check.{Guid.NewGuid():N}";
        var projects = new List<PackableProject>();
        try
        {
            var (clone, commit) = await CloneWorkingTree(DotnetCli.RepositoryRoot(), Path.Combine(work.FullName, "clone"));
            projects.AddRange(await PackableProjects(clone));
            Assert.Contains(projects, p => p.PackageId == "ResiliencePresets");

            var feed = Path.Combine(work.FullName, "feed");
            foreach (var project in projects)
            {
                await DotnetCli.Run(clone, "pack", project.Path, "-c", "Release", "-o", feed, $"-p:PackageVersion={version}", "-p:ContinuousIntegrationBuild=true");
                AssertPackage(Path.Combine(feed, $"{project.PackageId}.{version}.nupkg"), project, commit);
                AssertReadmeLicenseAndDependencies(Path.Combine(feed, $"{project.PackageId}.{version}.nupkg"), project, clone, version);
                AssertSymbols(Path.Combine(feed, $"{project.PackageId}.{version}.snupkg"), project, commit);
            }

            var output = await RunConsumer(Path.Combine(work.FullName, "consumer"), feed, projects.Select(p => p.PackageId), version);

            Assert.Contains("status=200 attempts=2 health=Healthy", output, StringComparison.Ordinal);
            Assert.Contains("pushback=502 x-should-retry=false", output, StringComparison.Ordinal);
        }
        finally
        {
            work.Delete(recursive: true);
            foreach (var project in projects)
            {
                var cached = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", project.PackageId.ToLowerInvariant(), version);
                if (Directory.Exists(cached))
                {
                    Directory.Delete(cached, recursive: true);
                }
            }
        }
    }

    // The working tree as it is (changes not yet committed included), committed into a new repository with a GitHub remote.
    private static async Task<(string Clone, string Commit)> CloneWorkingTree(string root, string clone)
    {
        var files = await Git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard");
        foreach (var file in files.Split('\0', StringSplitOptions.RemoveEmptyEntries).Where(f => File.Exists(Path.Combine(root, f))))
        {
            var target = Path.Combine(clone, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(root, file), target);
        }

        await Git(clone, "init", "--quiet", "--initial-branch=main");
        await Git(clone, "add", "--all");
        await Git(clone, "-c", "user.name=Package check", "-c", "user.email=package-check@invalid", "commit", "--quiet", "--no-gpg-sign", "-m", "Package check");
        await Git(clone, "remote", "add", "origin", Remote);
        return (clone, (await Git(clone, "rev-parse", "HEAD")).Trim());
    }

    private static async Task<List<PackableProject>> PackableProjects(string clone)
    {
        var projects = new List<PackableProject>();
        foreach (var path in Directory.GetFiles(Path.Combine(clone, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var json = await DotnetCli.Run(clone, "msbuild", path, "-getProperty:IsPackable", "-getProperty:PackageId", "-getProperty:AssemblyName",
                "-getProperty:TargetFramework", "-getProperty:TargetFrameworks");
            var properties = JsonDocument.Parse(json[json.IndexOf('{', StringComparison.Ordinal)..]).RootElement.GetProperty("Properties");
            string Property(string name) => properties.GetProperty(name).GetString() ?? string.Empty;
            if (Property("IsPackable") == "true")
            {
                var frameworks = (Property("TargetFrameworks") is { Length: > 0 } many ? many : Property("TargetFramework"))
                    .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                projects.Add(new PackableProject(path, Property("PackageId"), Property("AssemblyName"), frameworks));
            }
        }

        return projects;
    }

    private static void AssertPackage(string package, PackableProject project, string commit)
    {
        using var zip = ZipFile.OpenRead(package);
        var entries = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        foreach (var framework in project.Frameworks)
        {
            Assert.Contains($"lib/{framework}/{project.AssemblyName}.dll", entries);
            using var docs = zip.GetEntry($"lib/{framework}/{project.AssemblyName}.xml")?.Open();
            Assert.True(docs is not null, $"{project.PackageId} has no XML docs for {framework}.");
            Assert.NotEmpty(XDocument.Load(docs).Root!.Element("members")!.Elements("member"));
        }

        using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        XElement? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

        var license = Element("license");
        Assert.True(license is not null, $"{project.PackageId} has no license.");
        Assert.True(license.Attribute("type")?.Value == "expression" || entries.Contains(license.Value), $"{project.PackageId}'s license {license.Value} is neither an expression nor a file in the package.");
        var readme = Element("readme")?.Value;
        Assert.True(readme is not null && entries.Contains(readme), $"{project.PackageId} has no README in the package.");
        Assert.False(string.IsNullOrWhiteSpace(Element("description")?.Value), $"{project.PackageId} has no description.");
        var repository = Element("repository");
        Assert.Equal(Remote, repository?.Attribute("url")?.Value);
        Assert.Equal(commit, repository?.Attribute("commit")?.Value);
    }

    // What the project file and PACKAGE.md promise: PACKAGE.md as the README, the MIT license of LICENSE, a dependency
    // on each packed project it references (exactly its version when it is built against that project's internals),
    // its framework references, and no dependency on a build-only package.
    private static void AssertReadmeLicenseAndDependencies(string package, PackableProject project, string clone, string version)
    {
        using var zip = ZipFile.OpenRead(package);
        var projectDirectory = System.IO.Path.GetDirectoryName(project.Path)!;
        using (var readme = new StreamReader(zip.GetEntry("README.md")!.Open()))
        {
            Assert.Equal(File.ReadAllText(System.IO.Path.Combine(projectDirectory, "PACKAGE.md")), readme.ReadToEnd());
        }

        using var nuspecStream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.StartsWith("MIT License", File.ReadAllText(System.IO.Path.Combine(clone, "LICENSE")), StringComparison.Ordinal);
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")?.Value, license.Value));

        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value, StringComparer.Ordinal);
        var projectFile = XDocument.Load(project.Path);
        foreach (var reference in projectFile.Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value))
        {
            var referenced = System.IO.Path.GetFullPath(System.IO.Path.Combine(projectDirectory, reference.Replace('\\', '/')));
            var id = System.IO.Path.GetFileNameWithoutExtension(referenced);
            var internalsFor = XDocument.Load(referenced).Descendants("InternalsVisibleTo").Select(i => i.Attribute("Include")!.Value);
            var expected = internalsFor.Contains(project.AssemblyName, StringComparer.Ordinal) ? $"[{version}]" : version;
            Assert.True(dependencies.TryGetValue(id, out var actual) && actual == expected,
                $"{project.PackageId} depends on {id} {(actual ?? "not at all")}; it must depend on {expected}.");
        }

        var frameworkReferences = metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => e.Attribute("name")!.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var reference in projectFile.Descendants("FrameworkReference").Select(r => r.Attribute("Include")!.Value))
        {
            Assert.True(frameworkReferences.Contains(reference), $"{project.PackageId} lacks the framework reference {reference}.");
        }

        foreach (var buildOnly in projectFile.Descendants("PackageReference").Where(r => r.Attribute("PrivateAssets")?.Value == "all").Select(r => r.Attribute("Include")!.Value))
        {
            Assert.False(dependencies.ContainsKey(buildOnly), $"{project.PackageId} depends on the build-only package {buildOnly}.");
        }
    }

    private static void AssertSymbols(string symbols, PackableProject project, string commit)
    {
        Assert.True(File.Exists(symbols), $"{project.PackageId} has no symbols package.");
        using var zip = ZipFile.OpenRead(symbols);
        foreach (var framework in project.Frameworks)
        {
            var entry = zip.GetEntry($"lib/{framework}/{project.AssemblyName}.pdb");
            Assert.True(entry is not null, $"{project.PackageId}'s symbols package has no PDB for {framework}.");
            using var pdb = new MemoryStream();
            using (var stream = entry.Open())
            {
                stream.CopyTo(pdb);
            }

            pdb.Position = 0;
            using var provider = MetadataReaderProvider.FromPortablePdbStream(pdb);
            var reader = provider.GetMetadataReader();
            var sourceLink = Record(reader, EntityHandle.ModuleDefinition, SourceLinkRecord);
            Assert.True(sourceLink is not null, $"{project.PackageId}'s PDB for {framework} has no SourceLink.");
            var map = JsonDocument.Parse(sourceLink).RootElement.GetProperty("documents").EnumerateObject()
                .ToDictionary(p => p.Name.TrimEnd('*'), p => p.Value.GetString()!.TrimEnd('*'), StringComparer.Ordinal);
            Assert.Contains($"{RawSources}/{commit}/", map.Values);

            // Every source file can be fetched through SourceLink, or is in the PDB (generated files are embedded).
            foreach (var handle in reader.Documents)
            {
                var name = reader.GetString(reader.GetDocument(handle).Name);
                var linked = map.Keys.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
                Assert.True(linked || Record(reader, handle, EmbeddedSourceRecord) is not null, $"{project.PackageId}: {name} is neither linked nor embedded.");
            }
        }
    }

    private static byte[]? Record(MetadataReader reader, EntityHandle parent, Guid kind)
    {
        foreach (var handle in reader.GetCustomDebugInformation(parent))
        {
            var record = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(record.Kind) == kind)
            {
                return reader.GetBlobBytes(record.Value);
            }
        }

        return null;
    }

    private static async Task<string> RunConsumer(string consumer, string feed, IEnumerable<string> packages, string version)
    {
        Directory.CreateDirectory(consumer);
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <configuration><packageSources><add key="checked-package" value="{feed}" /></packageSources></configuration>
            """);
        var references = string.Join("\n", packages.Select(p => $"""    <PackageReference Include="{p}" Version="{version}" />"""));
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
            {references}
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), ConsumerProgram);
        return await DotnetCli.Run(consumer, "run");
    }

    private static Task<string> Git(string directory, params string[] arguments) => DotnetCli.RunProgram("git", directory, arguments);

    private sealed record PackableProject(string Path, string PackageId, string AssemblyName, string[] Frameworks);
}
