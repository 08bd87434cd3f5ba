namespace ResiliencePresets.Tests.Fallback;

public sealed class StaleWindowTests
{
    [Theory]
    [InlineData(300, 0, null, 300)]
    [InlineData(300, 3600, null, 300)]
    [InlineData(300, 0, 60, 300)]
    [InlineData(300, 60, 600, 660)]
    [InlineData(300, 0, 600, 600)]
    [InlineData(300, 80000, 80000, 86400)]
    public void MaxAge_IsTheConfiguredWindowOrTheServersLongerGrantCappedAtOneDay(int configured, int lifetime, int? grant, int expected)
    {
        var maxAge = StaleWindow.MaxAge(TimeSpan.FromSeconds(configured), TimeSpan.FromSeconds(lifetime), grant is { } g ? TimeSpan.FromSeconds(g) : null);

        Assert.Equal(TimeSpan.FromSeconds(expected), maxAge);
    }
}
