namespace ResiliencePresets.Tests.Pushback;

public sealed class GiveUpScopeTests
{
    [Fact]
    public void Record_OutsideAScope_IsDropped()
    {
        GiveUpScope.Record(new GivenUpCall("api", GiveUpReason.RetriesExhausted, null));

        Assert.Null(GiveUpScope.Current);
    }

    [Fact]
    public void Record_KeepsTheLastCallAndTheLongestWait()
    {
        using var scope = GiveUpScope.Begin();

        GiveUpScope.Record(new GivenUpCall("a", GiveUpReason.ServerWaitTooLong, TimeSpan.FromSeconds(90)));
        GiveUpScope.Record(new GivenUpCall("b", GiveUpReason.RetriesExhausted, TimeSpan.FromSeconds(2)));
        GiveUpScope.Record(new GivenUpCall("c", GiveUpReason.RetryBudget, null));

        Assert.Equal("c", scope.Last!.ClientName);
        Assert.Equal(TimeSpan.FromSeconds(90), scope.RetryAfter);
    }

    [Fact]
    public async Task Record_FromWorkStartedInTheScope_ReachesIt()
    {
        using var scope = GiveUpScope.Begin();

        await Task.Run(() => GiveUpScope.Record(new GivenUpCall("api", GiveUpReason.CircuitBreaker, null)));

        Assert.Equal(GiveUpReason.CircuitBreaker, scope.Last!.Reason);
    }

    [Fact]
    public void Dispose_RestoresTheOuterScope_AndTheEndedScopeRecordsNoMore()
    {
        using var outer = GiveUpScope.Begin();
        var inner = GiveUpScope.Begin();
        inner.Dispose();

        GiveUpScope.Record(new GivenUpCall("api", GiveUpReason.ClientPaused, null));

        Assert.Same(outer, GiveUpScope.Current);
        Assert.Null(inner.Last);
        Assert.NotNull(outer.Last);
    }
}
