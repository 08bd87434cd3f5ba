using ResiliencePresets.Tests.TestSupport;

namespace ResiliencePresets.Tests.Clients;

/// <summary>Keeps the recipes of docs/clients.md and the tests that pin them from drifting apart.</summary>
public sealed class ClientsDocTests
{
    private static readonly string Root = DotnetCli.RepositoryRoot();

    [Theory]
    [InlineData("RefitRecipeTests.cs", "services.AddRefitGeneratedClient<IItemsApi>(ItemsJsonContext.Default, _ => new RefitSettings(), httpClientName: ")]
    [InlineData("OpenAiRecipeTests.cs", "Transport = new HttpClientPipelineTransport(sp.GetRequiredService<IHttpClientFactory>().CreateClient(")]
    [InlineData("OpenAiRecipeTests.cs", "RetryPolicy = new ClientRetryPolicy(maxRetries: 0),")]
    [InlineData("OpenAiRecipeTests.cs", "NetworkTimeout = Timeout.InfiniteTimeSpan,")]
    [InlineData("OpenAiRecipeTests.cs", """ "Methods": { "POST": "Retry" } """)]
    [InlineData("AzureCoreRecipeTests.cs", "Transport = new HttpClientTransport(sp.GetRequiredService<IHttpClientFactory>().CreateClient(")]
    [InlineData("AzureCoreRecipeTests.cs", "options.Retry.MaxRetries = 0;")]
    [InlineData("AzureCoreRecipeTests.cs", "options.Retry.NetworkTimeout = Timeout.InfiniteTimeSpan;")]
    [InlineData("KiotaRecipeTests.cs", "KiotaClientFactory.GetDefaultHandlerActivatableTypes().Select(t => t.Type).Where(t => t != typeof(RetryHandler))")]
    [InlineData("KiotaRecipeTests.cs", "services.AddTransient(type);")]
    [InlineData("KiotaRecipeTests.cs", "client.AddHttpMessageHandler(sp => (DelegatingHandler)sp.GetRequiredService(type));")]
    [InlineData("KiotaRecipeTests.cs", "new AnonymousAuthenticationProvider(),")]
    [InlineData("TypedClientRecipeTests.cs", "services.AddHttpClient<OrdersClient>(c => c.BaseAddress = new Uri(")]
    public async Task RecipeLine_AppearsInItsTestAndInDocsClientsMd(string testFile, string line)
    {
        var test = await File.ReadAllTextAsync(Path.Combine(Root, "tests", "ResiliencePresets.Tests", "Clients", testFile));
        var doc = await File.ReadAllTextAsync(Path.Combine(Root, "docs", "clients.md"));

        Assert.Contains(line.Trim(), test, StringComparison.Ordinal);
        Assert.Contains(line.Trim(), doc, StringComparison.Ordinal);
    }
}
