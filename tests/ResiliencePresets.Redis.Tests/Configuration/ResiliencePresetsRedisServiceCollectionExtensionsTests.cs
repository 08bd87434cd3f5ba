using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Redis.Tests.TestSupport;

namespace ResiliencePresets.Redis.Tests.Configuration;

/// <summary>What registering the package says about a configuration it cannot use: a clear error, and never the password.</summary>
public sealed class ResiliencePresetsRedisServiceCollectionExtensionsTests
{
    private const string Password = "SECRET123";

    [Theory]
    [InlineData($"localhost:6379,password={Password},connectTimeout=soon", "connectTimeout")]
    [InlineData($"localhost:6379,password={Password},ssl=maybe", "ssl")]
    [InlineData($"localhost:6379,pasword={Password}", "pasword")]
    [InlineData($"localhost:6379,password={Password},syncTimeout=-", "syncTimeout")]
    public void AddResiliencePresetsRedis_InvalidConfigurationString_NamesTheOptionAndNeverThePassword(string configuration, string option)
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddResiliencePresetsRedis(configuration));

        Assert.StartsWith("The Redis configuration string for ResiliencePresets is not valid: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Equal("configuration", error.ParamName);
        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "Shared": { "KeyPrefix": "prod {eu}" } }""", "ResiliencePresets:Clients:api:Shared:KeyPrefix is 'prod {eu}'; it must be 1 to 64 characters, each a letter, a digit, or one of - _ . :.")]
    [InlineData("""{ "Shared": { "Key": " " } }""", "ResiliencePresets:Clients:api:Shared:Key is ' '; it must be unset (the client's name), or 1 to 256 characters, not all white space.")]
    public async Task Client_SharedSectionInvalid_WithRedisRegistered_FailsNamingTheFullPathAndTheValue(string json, string message)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var host = SharedHost.Start(SharedHost.Through(redis), "http://localhost", json: json);

        var error = Assert.Throws<PresetValidationException>(() => host.Client);

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
