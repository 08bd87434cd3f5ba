namespace ResiliencePresets.Tests.Classification;

public class Smoke
{
    [Fact]
    public void Works() => Assert.True(StatusCodeClassifier.Default.GetRule(503).IsRetry);
}
