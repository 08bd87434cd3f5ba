using System.Collections.Concurrent;
using System.Diagnostics;

namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// One client setup's pass through the workload: sends the planned requests on schedule and keeps what came back.
/// </summary>
internal sealed class SetupRun(ClientSetup setup, Action<SetupProgress>? progress)
{
    private readonly ConcurrentQueue<RequestOutcome> _outcomes = new();
    private int _attemptsStarted;
    private int _total;

    public ClientSetup Setup => setup;

    public ConcurrentQueue<AttemptRecord> Attempts { get; } = new();

    public IReadOnlyCollection<RequestOutcome> Outcomes => _outcomes;

    public void CountAttempt()
    {
        Interlocked.Increment(ref _attemptsStarted);
        Report();
    }

    public async Task RunAsync(Func<DemoEndpoint, HttpClient> clientFor, IReadOnlyList<DemoEndpoint> plan, TimeSpan interval, CancellationToken cancellationToken)
    {
        _total = plan.Count;
        Report();
        var clock = Stopwatch.StartNew();
        var requests = new List<Task>(plan.Count);
        for (var id = 0; id < plan.Count; id++)
        {
            var due = interval * id - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            requests.Add(SendAsync(clientFor(plan[id]), plan[id], id, cancellationToken));
        }

        await Task.WhenAll(requests);
    }

    private async Task SendAsync(HttpClient client, DemoEndpoint endpoint, int id, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        string result;
        bool succeeded;
        using var request = RequestPlan.Build(endpoint, id);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            result = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            succeeded = response.IsSuccessStatusCode || (endpoint == DemoEndpoint.MissingRepository && status == 404);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Polly.ExecutionRejectedException)
        {
            result = e.GetType().Name;
            succeeded = false;
        }

        _outcomes.Enqueue(new RequestOutcome(id, endpoint, succeeded, result, Stopwatch.GetElapsedTime(started)));
        Report();
    }

    private void Report() => progress?.Invoke(new SetupProgress(setup.Name, _outcomes.Count, _total, Volatile.Read(ref _attemptsStarted)));
}
