using System.Net;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace ResiliencePresets.Tests.RateLimiting;

/// <summary>
/// The learned rate: CUBIC's decrease on a rate signal and growth while requests succeed, bounded by the floor and the
/// configured rate, set directly by a quota the server names.
/// </summary>
public sealed class RateLearnerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RateLearner _learner;

    public RateLearnerTests()
    {
        _learner = new RateLearner(_time);
        _learner.Configure(ceiling: 0, maxRetryAfter: TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Observe_NoRateSignal_CostsNothingAndEngagesNothing()
    {
        Assert.Equal(ThrottlingChange.None, Observe(200));

        Assert.Equal(0, _learner.Flags);
        Assert.Null(_learner.Rate);
        Assert.Null(_learner.Limiter);
    }

    [Fact]
    public void Observe_FirstRateSignal_StartsThrottlingAtBetaTimesTheRecentRate()
    {
        Assert.Equal(ThrottlingChange.Started, Observe(429, estimate: 20));

        Assert.True(_learner.IsEngaged);
        Assert.Equal(20 * RateLearner.Beta, _learner.Rate!.Value, 6);
        Assert.Equal(20 * RateLearner.Beta, _learner.Limiter!.PermitsPerSecond, 3);
    }

    // A shared learned rate is the rate of every process of the key: one process's estimate alone cut four processes to
    // 0.7 of one process's rate.
    [Fact]
    public void Observe_FirstRateSignalOfALearnerSharedByFourProcesses_StartsAtBetaTimesTheirRecentRateTogether()
    {
        _learner.Share(new FourProcesses());

        Observe(429, estimate: 20);

        Assert.Equal(4 * 20 * RateLearner.Beta, _learner.Rate!.Value, 6);
    }

    [Fact]
    public void AdoptShared_RateOfTheProcessThatCutLast_BecomesThisProcessesRate()
    {
        _learner.Share(new FourProcesses());
        Observe(429, estimate: 20);

        _learner.AdoptShared(30, TimeSpan.FromMilliseconds(100));

        Assert.Equal(30, _learner.Rate!.Value, 6);
        Assert.Equal(30, _learner.Limiter!.PermitsPerSecond, 3);
    }

    // Four processes answer the same burst: the first to cut sets the rate of all, and the refusals of attempts the
    // others sent before they heard of that cut (before it, or after it at the old rate) lower it no further.
    [Fact]
    public void AdoptShared_RefusalOfAnAttemptSentBeforeThisProcessHeardOfAnotherProcessesCut_LowersNothingAgain()
    {
        _learner.Share(new FourProcesses());
        Observe(429, estimate: 20);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        var sentBeforeTheOtherCut = _learner.Sent(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromMilliseconds(70));
        var sentAfterItUnheardOf = _learner.Sent(_time.GetUtcNow());
        _time.Advance(TimeSpan.FromMilliseconds(30));
        _learner.AdoptShared(30, TimeSpan.FromMilliseconds(50));

        Observe(429, sentAt: sentBeforeTheOtherCut);
        Observe(429, sentAt: sentAfterItUnheardOf);
        Assert.Equal(30, _learner.Rate!.Value, 6);

        Observe(200, sentAt: _learner.Sent(_time.GetUtcNow()));
        Observe(429, sentAt: _learner.Sent(_time.GetUtcNow()));
        Assert.Equal(30 * RateLearner.Beta, _learner.Rate!.Value, 1);
    }

    [Fact]
    public void AdoptShared_BeforeTheClientThrottles_ChangesNothing()
    {
        _learner.Share(new FourProcesses());

        _learner.AdoptShared(30, TimeSpan.Zero);

        Assert.Null(_learner.Rate);
        Assert.Equal(0, _learner.Flags);
    }

    [Fact]
    public void Observe_SignalsFromAttemptsSentBeforeTheLastDecrease_LowerTheRateOnce()
    {
        Observe(429, estimate: 20);
        _time.Advance(TimeSpan.FromMilliseconds(10));

        for (var i = 0; i < 10; i++)
        {
            Observe(429, sentAt: DateTimeOffset.MinValue);
        }

        Assert.Equal(20 * RateLearner.Beta, _learner.Rate!.Value, 6);
        Observe(429, sentAt: _learner.Sent(_time.GetUtcNow()));
        Assert.True(_learner.Rate < 20 * RateLearner.Beta);
    }

    // CUBIC's fast convergence: a refusal on the way back up, below the rate the last decrease came from, sets the rate
    // to come back to halfway between the new rate and its cut, so the next climb levels off under it.
    [Fact]
    public void Observe_RefusalOnTheWayBackUpBelowTheLastDecreasesRate_LevelsTheNextClimbOffLower()
    {
        Observe(429, estimate: 20);
        SendAndSucceedFor(TimeSpan.FromMilliseconds(500), every: TimeSpan.FromMilliseconds(50));
        var beforeRefusal = _learner.Rate!.Value;
        Assert.True(beforeRefusal < 20, $"the rate climbed back to {beforeRefusal}");

        Observe(429, sentAt: _learner.Sent(_time.GetUtcNow()));
        var met = _learner.Rate!.Value / RateLearner.Beta;
        var comeBackTo = met * (1 + RateLearner.Beta) / 2;
        var k = TimeSpan.FromSeconds(Math.Cbrt(comeBackTo * (1 - RateLearner.Beta) / RateLearner.ScaleConstant));
        SendAndSucceedFor(k, every: TimeSpan.FromTicks(k.Ticks / 40));

        Assert.True(met < 20);
        Assert.Equal(comeBackTo * RateLearner.PlateauShare, _learner.Rate!.Value, 1);
    }

    // A refusal of an attempt sent after the cut but before the rate climbed from it is the tail of the overload that
    // cut it (other processes' attempts at the old rate, permits leased before the cut): it cuts again, and the climb
    // comes back to the rate that met the limit, not to fast convergence's lower one.
    [Fact]
    public void Observe_RefusalBeforeTheRateClimbedFromItsCut_CutsAgainButKeepsTheRateToComeBackTo()
    {
        Observe(429, estimate: 20);
        SendAndSucceedFor(TimeSpan.FromMilliseconds(40), every: TimeSpan.FromMilliseconds(20));
        Assert.True(_learner.Rate < 20 * RateLearner.Beta * (1 + RateLearner.ClimbedShare), $"the rate climbed to {_learner.Rate}");

        Observe(429, sentAt: _learner.Sent(_time.GetUtcNow()));
        Assert.True(_learner.Rate < 20 * RateLearner.Beta * RateLearner.Beta * 1.05, $"not cut again: {_learner.Rate}");
        var k = TimeSpan.FromSeconds(Math.Cbrt(20 * (1 - RateLearner.Beta) / RateLearner.ScaleConstant));
        SendAndSucceedFor(k, every: TimeSpan.FromMilliseconds(10));

        Assert.Equal(20 * RateLearner.PlateauShare, _learner.Rate!.Value, 0);
    }

    // A refusal that names a wait costs every request that wait: once a probe met the limit where it was, the curve
    // stays level at least five times that wait (not MinHold) before it probes past it again.
    [Fact]
    public void Observe_ProbeRefusedWithAWait_KeepsTheCurveLevelFiveTimesThatWaitBeforeItProbes()
    {
        Observe(429, estimate: 20);
        SendAndSucceedFor(TimeSpan.FromSeconds(Math.Cbrt(20 * (1 - RateLearner.Beta) / RateLearner.ScaleConstant) + 0.2), every: TimeSpan.FromMilliseconds(50));
        Observe(429, _learner.Sent(_time.GetUtcNow()), 20, [("Retry-After", "2")]);
        var plateau = _learner.Rate!.Value;
        var k = TimeSpan.FromSeconds(Math.Cbrt(plateau / RateLearner.PlateauShare * (1 - RateLearner.Beta) / RateLearner.ScaleConstant));

        SendAndSucceedFor(k + TimeSpan.FromSeconds(9.5), every: TimeSpan.FromMilliseconds(50));
        Assert.Equal(plateau, _learner.Rate!.Value, 1);

        SendAndSucceedFor(TimeSpan.FromSeconds(2), every: TimeSpan.FromMilliseconds(50));
        Assert.True(_learner.Rate > plateau + 0.1, $"still {_learner.Rate} after the hold");
    }

    // ASP.NET Core's fixed window names its whole window as the wait: the attempts it admitted since the pause ended,
    // before it refused one, are what it admits per window, however fast the client sent them.
    [Fact]
    public void Observe_RefusalNamingAWaitWithinThatWaitAfterAPause_CutsFromWhatTheServerAdmittedSinceThePause()
    {
        Observe(429, DateTimeOffset.MinValue, 40, [("Retry-After", "1")]);
        _time.Advance(TimeSpan.FromSeconds(1.1));

        SendAndSucceedFor(TimeSpan.FromMilliseconds(500), every: TimeSpan.FromMilliseconds(25));
        Observe(429, _learner.Sent(_time.GetUtcNow()), 40, [("Retry-After", "1")]);

        Assert.Equal(20 * RateLearner.Beta, _learner.Rate!.Value, 1);
    }

    // Shared, one process's admissions are its share, and four processes do not send alike: a pause it took alone
    // (while Redis was away) ends on its own, and the window it then meets was spent by the others. Its few admissions
    // times the processes once cut all four to 15 a second for 13 s.
    [Fact]
    public void Observe_SharedRefusalNamingAWaitWithinThatWaitAfterAPause_IsNoCountOfTheWindow()
    {
        _learner.Share(new FourProcesses());
        Observe(429, DateTimeOffset.MinValue, 40, [("Retry-After", "1")]);
        _time.Advance(TimeSpan.FromSeconds(1.1));

        SendAndSucceedFor(TimeSpan.FromMilliseconds(200), every: TimeSpan.FromMilliseconds(40));
        Observe(429, _learner.Sent(_time.GetUtcNow()), 40, [("Retry-After", "1")]);

        Assert.True(_learner.Rate > 2 * 5 * 4 * RateLearner.Beta, $"cut to {_learner.Rate} from 5 admissions of one process of four");
    }

    // The same holds for a span with many refusals: a process's admitted share times the processes is not what the
    // server admitted, so the cut starts from the rate the processes were sending at.
    [Fact]
    public void Observe_SharedRefusalsOfAQuarterOfTheAnswers_AreNoCountOfWhatTheServerAdmits()
    {
        _learner.Share(new FourProcesses());
        Observe(429, estimate: 40);
        var beforeTheCut = _time.GetUtcNow() - TimeSpan.FromTicks(1);

        for (var i = 1; i <= 30; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(33));
            if (i % 3 == 0)
            {
                _learner.Sent(_time.GetUtcNow());
                Observe(429, sentAt: beforeTheCut);
            }
            else
            {
                Observe(200, sentAt: _learner.Sent(_time.GetUtcNow()));
            }
        }

        Observe(429, sentAt: _learner.Sent(_time.GetUtcNow()));

        // 20 admitted in the second, of 30 answers: read as four processes' admissions, 80 a second, cut to 56.
        Assert.True(_learner.Rate > 1.2 * 20 * 4 * RateLearner.Beta, $"cut to {_learner.Rate}");
    }

    // While this process's attempts wait for the one bucket the processes share, they send at its rate together,
    // whatever this process's own count says: the cut starts from that rate.
    [Fact]
    public void Observe_SharedRefusalWhileAttemptsQueueForTheSharedBucket_CutsFromTheSharedRate()
    {
        using var bucket = new System.Threading.RateLimiting.TokenBucketRateLimiter(new()
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromHours(1),
            QueueLimit = 10,
            AutoReplenishment = false,
        });
        _learner.Share(new FourProcesses { Learned = bucket });
        Observe(429, estimate: 40);
        using var first = _learner.SharedBucket!.AttemptAcquire();
        var queued = _learner.SharedBucket.AcquireAsync(1);

        SendAndSucceedFor(TimeSpan.FromSeconds(1), every: TimeSpan.FromMilliseconds(200));
        var rate = _learner.Rate!.Value;
        Observe(429, sentAt: _learner.Sent(_time.GetUtcNow()));

        Assert.False(queued.IsCompleted);
        Assert.Equal(rate * RateLearner.Beta, _learner.Rate!.Value, 1);
    }

    [Fact]
    public void Leased_MoreInstancesThanTheLearnerStartedWith_ScalesTheRateItStartedFrom()
    {
        var shared = new FourProcesses { Count = 1 };
        _learner.Share(shared);
        Observe(429, estimate: 20);

        _learner.Leased(4);
        Assert.Equal(4 * 20 * RateLearner.Beta, _learner.Rate!.Value, 6);

        // Only the first lease corrects the start; later counts do not move the rate.
        _learner.Leased(8);
        Assert.Equal(4 * 20 * RateLearner.Beta, _learner.Rate!.Value, 6);
    }

    [Fact]
    public void Observe_SuccessesAfterADecrease_RecoverToTheOldRateAndPastIt()
    {
        Observe(429, estimate: 20);
        var recovered = TimeSpan.FromSeconds(Math.Cbrt(20 * (1 - RateLearner.Beta) / RateLearner.ScaleConstant));

        // The client keeps sending as fast as the bucket lets it; the limit has been raised.
        SendAndSucceedFor(recovered, every: TimeSpan.FromMilliseconds(20));
        Assert.InRange(_learner.Rate!.Value, 19, 21);

        SendAndSucceedFor(TimeSpan.FromSeconds(3), every: TimeSpan.FromMilliseconds(20));
        Assert.True(_learner.Rate > 25, $"rate {_learner.Rate}");
    }

    // The first decrease starts from an estimate of what the client sent (20 workers meet a limit of 40 a second as 20
    // a second), not from a rate that met the limit: past the estimate the rate doubles over each second's worth of
    // successes until a refusal of an attempt the learned rate sent says where the limit is, where CUBIC's curve grows
    // 0.4 a second after one second.
    [Fact]
    public void Observe_SuccessesPastTheFirstEstimate_DoubleTheRateEachSecond()
    {
        var plateau = ClimbToTheFirstPlateau(estimate: 20);

        SendAtTheLearnedRateFor(TimeSpan.FromSeconds(2));

        Assert.Equal(20 * RateLearner.PlateauShare, plateau, 1);
        Assert.InRange(_learner.Rate!.Value, plateau * 4 * 0.9, plateau * 4 * 1.1);
    }

    // The doubling is clocked by the answers: a client the server held for a second (a spent window, a pause) comes out
    // of it at about the rate it went in with, not twice it.
    [Fact]
    public void Observe_FirstSuccessAfterASilencePastTheFirstEstimate_RaisesTheRateByOneSuccessesShare()
    {
        var plateau = ClimbToTheFirstPlateau(estimate: 20);

        _time.Advance(TimeSpan.FromSeconds(1));
        Observe(200, sentAt: _learner.Sent(_time.GetUtcNow()));

        Assert.InRange(_learner.Rate!.Value, plateau, plateau * 1.1);
    }

    // Once a refusal of an attempt the learned rate sent, after admissions, met the limit, the rate to come back to is
    // measured: the climb levels off under it and grows past it along CUBIC's curve again, not doubling.
    [Fact]
    public void Observe_RefusalOfAnAttemptTheLearnedRateSent_EndsTheDoubling()
    {
        Observe(429, estimate: 20);
        var k = TimeSpan.FromSeconds(Math.Cbrt(20 * (1 - RateLearner.Beta) / RateLearner.ScaleConstant));
        SendAndSucceedFor(k + TimeSpan.FromSeconds(1), every: TimeSpan.FromMilliseconds(10));
        var met = _learner.Rate!.Value;

        Observe(429, sentAt: _learner.Sent(_time.GetUtcNow()));
        var metK = TimeSpan.FromSeconds(Math.Cbrt(met * (1 - RateLearner.Beta) / RateLearner.ScaleConstant));
        SendAndSucceedFor(metK + TimeSpan.FromSeconds(1), every: TimeSpan.FromMilliseconds(10));

        Assert.InRange(_learner.Rate!.Value, met * RateLearner.PlateauShare * 0.99, met);
    }

    [Fact]
    public void Observe_Successes_NeverRaiseTheRatePastTwiceWhatTheClientSends()
    {
        Observe(429, estimate: 20);

        // The client sends 2 attempts a second, far below what it may.
        SendAndSucceedFor(TimeSpan.FromSeconds(20), every: TimeSpan.FromMilliseconds(500));

        Assert.InRange(_learner.Rate!.Value, 14, 2 * 2 + 0.5 + 14);
    }

    [Fact]
    public void Observe_ConfiguredRate_IsTheCeiling()
    {
        _learner.Configure(ceiling: 5, maxRetryAfter: TimeSpan.FromSeconds(30));
        Observe(429, estimate: 100);
        Assert.Equal(5 * RateLearner.Beta, _learner.Rate!.Value, 6);

        SendAndSucceedFor(TimeSpan.FromSeconds(30), every: TimeSpan.FromMilliseconds(10));

        Assert.Equal(5, _learner.Rate!.Value, 6);
    }

    [Fact]
    public void Observe_ConfiguredRateBelowTheLearnedFloor_IsTheRate()
    {
        // RateLimit:PermitsPerMinute 6: a known rate stays the ceiling, below the learned rate's floor of 0.5 a second.
        _learner.Configure(ceiling: 0.1, maxRetryAfter: TimeSpan.FromSeconds(30));
        Observe(429, estimate: 100);

        Assert.Equal(0.1, _learner.Rate!.Value, 6);
        Assert.Equal(0.1, _learner.Limiter!.PermitsPerSecond, 6);
    }

    [Fact]
    public void Observe_QuotaNamingAFasterRateThanTheConfiguredOne_StaysAtTheCeiling()
    {
        _learner.Configure(ceiling: 5, maxRetryAfter: TimeSpan.FromSeconds(30));
        Observe(429, estimate: 100);

        Observe(200, ("X-RateLimit-Remaining", "1000"), ("X-RateLimit-Reset", "10"));

        Assert.Equal(5, _learner.Rate!.Value, 6);
        Assert.Equal(5, _learner.Limiter!.PermitsPerSecond, 3);
    }

    [Fact]
    public void Observe_ManySignals_NeverLowerTheRateBelowTheFloor()
    {
        Observe(429, estimate: 2);
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            Observe(429, sentAt: _learner.Sent(_time.GetUtcNow()));
        }

        Assert.Equal(RateLearner.MinRate, _learner.Rate!.Value, 6);
    }

    [Fact]
    public void Observe_QuotaRemainingAndReset_SetTheRateDirectlyUntilTheReset()
    {
        Observe(429, estimate: 100);

        Observe(200, ("RateLimit-Remaining", "30"), ("RateLimit-Reset", "10"));
        Assert.Equal(3, _learner.Rate!.Value, 6);

        SendAndSucceedFor(TimeSpan.FromSeconds(5), every: TimeSpan.FromMilliseconds(100));
        Assert.Equal(3, _learner.Rate!.Value, 6);
    }

    // Below one a second a success stands for more than a second's worth: it doubles the rate at most.
    [Fact]
    public void Observe_SuccessPastAFirstEstimateUnderOneASecond_AtMostDoublesTheRate()
    {
        var plateau = ClimbToTheFirstPlateau(estimate: 0.6);

        _time.Advance(TimeSpan.FromMilliseconds(10));
        Observe(200, sentAt: _learner.Sent(_time.GetUtcNow()));

        Assert.Equal(0.6 * RateLearner.PlateauShare, plateau, 2);
        Assert.InRange(_learner.Rate!.Value, plateau * 1.5, plateau * RateLearner.SlowStartGrowth * 1.01);
    }

    // A rate the server named is no estimate: after its window the rate probes upwards along CUBIC's curve, not by
    // doubling past it (a quota of one in 20 s, doubled by the second, was 20 doublings in its first success).
    [Fact]
    public void Observe_SuccessAfterAQuotasWindow_GrowsAlongCubicsCurveFromTheQuotasRate()
    {
        Observe(429, estimate: 20);
        Observe(200, ("RateLimit-Remaining", "1"), ("RateLimit-Reset", "20"));
        var quotaRate = _learner.Rate!.Value;

        // Attempts queue for the bucket, so the bucket, not what the client sent, bounds the growth.
        using var first = _learner.Limiter!.AttemptAcquire();
        var waiting = Enumerable.Range(0, 4).Select(_ => _learner.Limiter!.AcquireAsync(_time.GetTimestamp(), CancellationToken.None).AsTask()).ToList();
        _time.Advance(TimeSpan.FromSeconds(20));
        SendAndSucceedFor(TimeSpan.FromSeconds(1), every: TimeSpan.FromMilliseconds(100));

        Assert.Equal(1 / 20d, quotaRate, 6);
        Assert.InRange(_learner.Rate!.Value, quotaRate, quotaRate + RateLearner.ScaleConstant + 0.1);
    }

    // Regression: throttling stopped only at the first success after the quiet period, so an idle client kept its
    // learned-rate gauge, logged nothing, and paced its first requests after the quiet spell.
    [Fact]
    public void QuietPeriodWithoutARateSignal_StopsThrottlingAtItsEnd_WithoutARequest()
    {
        var told = 0;
        _learner.WhenQuiet(() => told++);
        Observe(429, estimate: 20);
        _time.Advance(RateLearner.QuietPeriod / 2);
        Observe(429, estimate: 20);

        _time.Advance(RateLearner.QuietPeriod - TimeSpan.FromTicks(1));
        var engagedJustBefore = _learner.IsEngaged;
        _time.Advance(TimeSpan.FromTicks(1));

        Assert.True(engagedJustBefore);
        Assert.False(_learner.IsEngaged);
        Assert.Null(_learner.Rate);
        Assert.Equal(1, told);
        Assert.Equal(ThrottlingChange.None, Observe(200));
    }

    [Fact]
    public async Task QuietPeriodWithAnAttemptWaiting_StopsOnlyOnceNoneWaits()
    {
        var told = 0;
        _learner.WhenQuiet(() => told++);
        Observe(429, estimate: 20);
        var pause = new ClientPause();
        pause.Extend(_time.GetUtcNow(), RateLearner.QuietPeriod + TimeSpan.FromSeconds(10));
        var waiting = _learner.Limiter!.AcquireAsync(0, CancellationToken.None, pause);

        _time.Advance(RateLearner.QuietPeriod);
        var engagedWhileWaiting = _learner.IsEngaged;
        _time.Advance(TimeSpan.FromSeconds(10) + ServerWaitSpread.Padding);
        using var lease = await waiting;
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(engagedWhileWaiting);
        Assert.True(lease.IsAcquired);
        Assert.False(_learner.IsEngaged);
        Assert.Equal(1, told);
    }

    [Fact]
    public void Observe_Bare503sWhileTheServerAcceptsTheRest_AreNoSignal()
    {
        Observe(200);
        Assert.Equal(ThrottlingChange.None, Observe(503, estimate: 20));
        Observe(200);
        Assert.Equal(ThrottlingChange.None, Observe(503, estimate: 20));

        Assert.False(_learner.IsEngaged);
    }

    [Fact]
    public void Observe_Bare503WhileThrottling_LeavesTheRateAlone()
    {
        Observe(429, estimate: 20);
        var rate = _learner.Rate!.Value;

        _time.Advance(TimeSpan.FromMilliseconds(100));
        Observe(503, sentAt: _learner.Sent(_time.GetUtcNow()));

        Assert.Equal(rate, _learner.Rate!.Value, 6);
    }

    public void Dispose() => _learner.Dispose();

    // The shared store of a key four processes use, as far as the learner reads it.
    private sealed class FourProcesses : ISharedClientState
    {
        public Task Ready => Task.CompletedTask;

        public int Count { get; init; } = 4;

        public int Instances => Count;

        public void Paused(TimeSpan wait, ClientPauseReason reason)
        {
        }

        public System.Threading.RateLimiting.RateLimiter Bucket(double permitsPerSecond, int burst, int queueLimit) => throw new NotSupportedException();

        public System.Threading.RateLimiting.RateLimiter? Learned { get; init; }

        public System.Threading.RateLimiting.RateLimiter LearnedBucket(Func<double> permitsPerSecond, Func<TimeSpan> sinceCut, ISharedLearner? learner = null)
            => Learned ?? throw new NotSupportedException();
    }

    private void SendAndSucceedFor(TimeSpan duration, TimeSpan every)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += every)
        {
            _time.Advance(every);
            Observe(200, sentAt: _learner.Sent(_time.GetUtcNow()));
        }
    }

    // Starts throttling from an estimate and climbs back for CUBIC's time, to the plateau under the estimate.
    private double ClimbToTheFirstPlateau(double estimate)
    {
        Observe(429, estimate);
        var k = TimeSpan.FromSeconds(Math.Cbrt(estimate * (1 - RateLearner.Beta) / RateLearner.ScaleConstant));
        SendAndSucceedFor(k, every: TimeSpan.FromMilliseconds(10));
        return _learner.Rate!.Value;
    }

    private void SendAtTheLearnedRateFor(TimeSpan duration)
    {
        for (var end = _time.GetUtcNow() + duration; _time.GetUtcNow() < end;)
        {
            _time.Advance(TimeSpan.FromSeconds(1 / _learner.Rate!.Value));
            Observe(200, sentAt: _learner.Sent(_time.GetUtcNow()));
        }
    }

    private ThrottlingChange Observe(int status, params (string Name, string Value)[] headers)
        => Observe(status, DateTimeOffset.MinValue, 10, headers);

    private ThrottlingChange Observe(int status, double estimate)
        => Observe(status, DateTimeOffset.MinValue, estimate, []);

    private ThrottlingChange Observe(int status, DateTimeOffset sentAt)
        => Observe(status, sentAt, 10, []);

    private ThrottlingChange Observe(int status, DateTimeOffset sentAt, double estimate, (string Name, string Value)[] headers)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        var verdict = new AttemptInspector(StatusCodeClassifier.Default, _time).Inspect(Outcome.FromResult(response));
        return _learner.Observe(verdict, sentAt, () => estimate);
    }
}
