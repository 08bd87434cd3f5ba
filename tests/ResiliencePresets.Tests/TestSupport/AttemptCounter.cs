namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// A handler placed inside the preset that counts the attempts that left the client, including those that never
/// reached a server.
/// </summary>
public sealed class AttemptCounter : DelegatingHandler
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        return base.SendAsync(request, cancellationToken);
    }
}
