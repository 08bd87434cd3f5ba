using Microsoft.AspNetCore.Builder;
using ResiliencePresets.AspNetCore;

namespace ResiliencePresets.Tests.Pushback;

public sealed class ResiliencePresetsPushbackApplicationBuilderExtensionsTests
{
    [Fact]
    public void UseResiliencePresetsPushback_WithoutAnApplication_ThrowsNamingIt()
    {
        Assert.Equal("app", Assert.Throws<ArgumentNullException>(() => ((IApplicationBuilder)null!).UseResiliencePresetsPushback()).ParamName);
        Assert.Equal("app", Assert.Throws<ArgumentNullException>(() => ((IApplicationBuilder)null!).UseResiliencePresetsPushback(_ => { })).ParamName);
    }

    [Fact]
    public async Task UseResiliencePresetsPushback_WithoutAConfigure_ThrowsNamingIt()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => app.UseResiliencePresetsPushback(null!)).ParamName);
    }

    [Fact]
    public void ResiliencePresetsPushbackOptions_SendRetryAfter_DefaultsToOn()
        => Assert.True(new ResiliencePresetsPushbackOptions().SendRetryAfter);
}
