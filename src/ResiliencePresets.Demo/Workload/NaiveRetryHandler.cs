namespace ResiliencePresets.Demo.Workload;

/// <summary>
/// The retry loop many applications write by hand: any failure, any method, retried at once, up to three times.
/// </summary>
public sealed class NaiveRetryHandler : DelegatingHandler
{
    private const int MaxRetries = 3;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode || retry == MaxRetries)
                {
                    return response;
                }

                response.Dispose();
            }
            catch (HttpRequestException) when (retry < MaxRetries)
            {
            }
        }
    }
}
