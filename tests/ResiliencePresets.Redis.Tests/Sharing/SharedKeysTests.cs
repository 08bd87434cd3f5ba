namespace ResiliencePresets.Redis.Tests.Sharing;

public sealed class SharedKeysTests
{
    [Fact]
    public void Keys_OfAKey_AreHashedIntoOneClusterSlot_UnderThePrefix()
    {
        var keys = new SharedKeys("prod-eu", "openai org 42: sk-secret?");
        var names = new[] { keys.Pause.ToString(), keys.Bucket.ToString(), keys.Instances.ToString(), keys.ChannelName };

        Assert.All(names, name => Assert.Matches("^prod-eu:\\{[0-9a-f]{32}\\}:[a-z]+$", name));
        Assert.Single(names.Select(n => n[..n.IndexOf('}', StringComparison.Ordinal)]).Distinct());
        Assert.All(names, name => Assert.DoesNotContain("secret", name, StringComparison.Ordinal));
        Assert.Equal(4, names.Distinct().Count());
    }

    [Fact]
    public void Keys_SameKeyText_GiveTheSameNames_AndAnotherKeyOthers()
    {
        Assert.Equal(new SharedKeys("p", "a").Pause, new SharedKeys("p", "a").Pause);
        Assert.NotEqual(new SharedKeys("p", "a").Pause, new SharedKeys("p", "A").Pause);
        Assert.NotEqual(new SharedKeys("p", "a").Pause, new SharedKeys("q", "a").Pause);
    }
}
