namespace ResiliencePresets.Simulation.Clients;

/// <summary>
/// The retry loops applications write by hand: a 429, a 5xx or a transport failure is retried up to
/// <c>maxRetries</c> times after the handler's own delay, ignoring any wait the server named.
/// </summary>
public sealed class RetryLoopHandler : DelegatingHandler
{
    private readonly int _maxRetries;
    private readonly Func<int, TimeSpan> _delay;

    /// <param name="maxRetries">Retries after the first attempt.</param>
    /// <param name="delay">The wait before retry N (0-based).</param>
    public RetryLoopHandler(int maxRetries, Func<int, TimeSpan> delay)
    {
        _maxRetries = maxRetries;
        _delay = delay;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (retry == _maxRetries || !IsTransient((int)response.StatusCode))
                {
                    return response;
                }

                response.Dispose();
            }
            catch (HttpRequestException) when (retry < _maxRetries)
            {
            }

            var delay = _delay(retry);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    private static bool IsTransient(int status) => status is 429 or >= 500;
}
