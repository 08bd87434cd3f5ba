using Microsoft.Extensions.Time.Testing;

namespace ResiliencePresets.Tests.Pipeline;

public sealed class BodyDeadlinesTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Read_PastItsDeadline_IsCanceledAtTheNextCheck()
    {
        using var deadlines = new BodyDeadlines(_time);
        using var read = deadlines.Start(Deadline(TimeSpan.FromSeconds(1)), CancellationToken.None);

        _time.Advance(TimeSpan.FromSeconds(1) - BodyDeadlines.Period);
        Assert.False(read.Token.IsCancellationRequested);

        _time.Advance(BodyDeadlines.Period);
        Assert.True(read.Token.IsCancellationRequested);
        Assert.True(read.Expired);
    }

    [Fact]
    public void Read_CanceledByTheCaller_IsCanceledAndNotExpired()
    {
        using var deadlines = new BodyDeadlines(_time);
        using var caller = new CancellationTokenSource();
        using var read = deadlines.Start(Deadline(TimeSpan.FromSeconds(1)), caller.Token);

        caller.Cancel();

        Assert.True(read.Token.IsCancellationRequested);
        Assert.False(read.Expired);
    }

    [Fact]
    public void Read_EndedBeforeItsDeadline_IsNeverCanceled()
    {
        using var deadlines = new BodyDeadlines(_time);
        var read = deadlines.Start(Deadline(TimeSpan.FromSeconds(1)), CancellationToken.None);
        var token = read.Token;
        using var other = deadlines.Start(Deadline(TimeSpan.FromSeconds(1)), CancellationToken.None);

        read.Dispose();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.False(token.IsCancellationRequested);
        Assert.True(other.Token.IsCancellationRequested);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Reads_OneEndingInTheMiddleOfTheList_LeaveTheOthersChecked(int ended)
    {
        using var deadlines = new BodyDeadlines(_time);
        var reads = Enumerable.Range(0, 3).Select(_ => deadlines.Start(Deadline(TimeSpan.FromSeconds(1)), CancellationToken.None)).ToList();

        reads[ended].Dispose();
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal([.. Enumerable.Range(0, 3).Select(i => i != ended)], reads.Select(r => r.Expired));
        reads.ForEach(r => r.Dispose());
    }

    [Fact]
    public void Deadlines_IdleForTenSeconds_StopTheirTimer()
    {
        using var deadlines = new BodyDeadlines(_time);
        deadlines.Start(Deadline(TimeSpan.FromSeconds(1)), CancellationToken.None).Dispose();

        _time.Advance(TimeSpan.FromSeconds(10));
        var read = deadlines.Start(Deadline(TimeSpan.FromSeconds(1)), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));

        // A new read starts the timer again.
        Assert.True(read.Expired);
        read.Dispose();
    }

    private long Deadline(TimeSpan after) => _time.GetTimestamp() + (long)(after.TotalSeconds * _time.TimestampFrequency);
}
