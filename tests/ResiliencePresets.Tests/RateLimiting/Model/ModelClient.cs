using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace ResiliencePresets.Tests.RateLimiting.Model;

/// <summary>
/// Closed-loop workers sharing one throttling client, in virtual time (a <see cref="FakeTimeProvider"/> stepped a
/// millisecond at a time): the real <see cref="RateLearner"/>, its real <see cref="LearnedRateLimiter"/>, a real
/// <see cref="ClientPause"/> and real verdicts from <see cref="AttemptInspector"/>, wired as
/// <see cref="ClientPacingStrategy"/> wires them (a rate signal is retried at once through the bucket, up to four
/// times; a signal that names a wait pauses the host), against a <see cref="ModelServer"/>. What the load simulation
/// measures on a busy machine, without the machine: the learner's own dynamics.
/// </summary>
internal sealed class ModelClient
{
    private const int MaxRetries = 4;
    private static readonly DateTimeOffset Epoch = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Epoch);
    private readonly List<(TimeSpan Sent, bool Admitted)> _wire = [];
    private readonly List<(TimeSpan At, double? Rate)> _rates = [];

    /// <summary>One way latency, client to server and back.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Extra latency on the way in, up to this, drawn from a seeded source: scheduling jitter.</summary>
    public TimeSpan Jitter { get; init; } = TimeSpan.Zero;

    /// <summary>Called every virtual millisecond, to change the server mid-run.</summary>
    public Action<TimeSpan>? OnTick { get; init; }

    public int Attempts => _wire.Count;

    public int Refused => _wire.Count(w => !w.Admitted);

    /// <summary>Gets the refusals of attempts sent before the first refusal came back: the first burst.</summary>
    public int RefusedBeforeSignal { get; private set; }

    public int Failed { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    public ModelClient Run(ModelServer server, int workers, int requests)
    {
        using var learner = new RateLearner(_time);
        learner.Configure(ceiling: 0, maxRetryAfter: TimeSpan.FromSeconds(30));
        var pause = new ClientPause();
        var inspector = new AttemptInspector(StatusCodeClassifier.Default, _time);
        var random = new Random(7);
        var next = 0;
        var done = 0;
        var firstSignal = TimeSpan.MaxValue;
        var state = new Worker[workers];
        for (var i = 0; i < workers; i++)
        {
            state[i] = new Worker();
        }

        var arrivals = new List<(TimeSpan At, Worker Worker)>();
        for (var t = TimeSpan.Zero; done < requests; t += TimeSpan.FromMilliseconds(1))
        {
            if (t > TimeSpan.FromMinutes(5))
            {
                throw new InvalidOperationException($"The model did not finish: {done} of {requests} done.");
            }

            _time.SetUtcNow(Epoch + t);
            OnTick?.Invoke(t);
            if (t.Ticks % TimeSpan.FromMilliseconds(50).Ticks == 0)
            {
                _rates.Add((t, learner.Rate));
            }

            foreach (var (at, worker) in arrivals.Where(a => a.At <= t).OrderBy(a => a.At).ToList())
            {
                arrivals.Remove((at, worker));
                (worker.Admitted, worker.RetryAfter) = server.Arrive(at);
                worker.AnswerAt = at + Latency;
                _wire.Add((worker.SentAt, worker.Admitted));
            }

            foreach (var worker in state)
            {
                if (worker.AnswerAt is { } answerAt && answerAt <= t)
                {
                    worker.AnswerAt = null;
                    if (!worker.Admitted && firstSignal == TimeSpan.MaxValue)
                    {
                        firstSignal = t;
                        RefusedBeforeSignal = _wire.Count(w => !w.Admitted && w.Sent < t);
                    }

                    Answer(learner, inspector, pause, worker, t);
                    if (worker.Admitted || worker.Retries == MaxRetries)
                    {
                        Failed += worker.Admitted ? 0 : 1;
                        (worker.Busy, worker.Retries) = (false, 0);
                        done++;
                    }
                    else
                    {
                        worker.Retries++;
                        worker.Permit = learner.Limiter!.AcquireAsync(worker.RequestStart, CancellationToken.None, pause).AsTask();
                    }
                }

                if (!worker.Busy && next < requests)
                {
                    (worker.Busy, worker.RequestStart) = (true, _time.GetTimestamp() + next++);
                    worker.Permit = learner.IsEngaged ? learner.Limiter!.AcquireAsync(worker.RequestStart, CancellationToken.None, pause).AsTask() : null;
                    if (worker.Permit is null)
                    {
                        worker.ThrottledSend = false;
                        Send(worker, t, arrivals, random);
                    }
                }

                if (worker.Permit is { IsCompleted: true })
                {
                    worker.Permit.Result.Dispose();
                    worker.Permit = null;
                    worker.ThrottledSend = true;
                    learner.Sent(_time.GetUtcNow());
                    Send(worker, t, arrivals, random);
                }
            }

            Elapsed = t;
        }

        return this;
    }

    /// <summary>Returns the learned rate and the wire, a line per quarter second.</summary>
    public string Trace()
    {
        var text = new StringBuilder();
        var end = _wire.Count == 0 ? TimeSpan.Zero : _wire.Max(w => w.Sent);
        for (var from = TimeSpan.Zero; from <= end; from += TimeSpan.FromMilliseconds(250))
        {
            var to = from + TimeSpan.FromMilliseconds(250);
            var sent = _wire.Where(w => w.Sent >= from && w.Sent < to).ToList();
            var rate = _rates.LastOrDefault(r => r.At < to).Rate;
            text.AppendLine(CultureInfo.InvariantCulture, $"{to.TotalSeconds,6:0.00} {sent.Count,4} {sent.Count(w => !w.Admitted),4} {(rate is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "-"),6}");
        }

        return text.ToString();
    }

    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Elapsed.TotalSeconds:0.00} s, {Attempts} attempts, {Refused} refused ({RefusedBeforeSignal} before the first signal), {Failed} failed");

    private void Send(Worker worker, TimeSpan t, List<(TimeSpan, Worker)> arrivals, Random random)
    {
        worker.SentAt = t;
        worker.SentStamp = worker.ThrottledSend ? _time.GetUtcNow() : DateTimeOffset.MinValue;
        arrivals.Add((t + Latency + (Jitter * random.NextDouble()), worker));
    }

    private void Answer(RateLearner learner, AttemptInspector inspector, ClientPause pause, Worker worker, TimeSpan t)
    {
        using var response = new HttpResponseMessage(worker.Admitted ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests);
        if (worker.RetryAfter is { } seconds)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }

        var verdict = inspector.Inspect(Outcome.FromResult(response));
        var sentBefore = _wire.Count(w => w.Sent > t - TimeSpan.FromSeconds(10));
        var span = Math.Max(1, Math.Min(10, (t - _wire[0].Sent).TotalSeconds));
        learner.Observe(verdict, worker.SentStamp, () => sentBefore / span);
        if (ServerWaitRule.PausesClient(verdict))
        {
            pause.Extend(verdict.ReadAt, verdict.ServerWait!.Value.Delay);
        }
    }

    private sealed class Worker
    {
        public bool Busy { get; set; }

        public long RequestStart { get; set; }

        public int Retries { get; set; }

        public Task<System.Threading.RateLimiting.RateLimitLease>? Permit { get; set; }

        public bool ThrottledSend { get; set; }

        public TimeSpan SentAt { get; set; }

        public DateTimeOffset SentStamp { get; set; }

        public TimeSpan? AnswerAt { get; set; }

        public bool Admitted { get; set; }

        public int? RetryAfter { get; set; }
    }
}
