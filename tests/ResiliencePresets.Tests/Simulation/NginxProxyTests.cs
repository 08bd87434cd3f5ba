using ResiliencePresets.Simulation.Limiters;

namespace ResiliencePresets.Tests.Simulation;

/// <summary>
/// The simulation's nginx (installed with apt-get when missing) in front of the unlimited backend: each location
/// limits on its own, with the status and the Retry-After its variant names. Concurrent requests arrive within a few
/// milliseconds, far less than the 50 ms nginx leaks one request in at 20 requests a second.
/// </summary>
public sealed class NginxProxyTests
{
    [Fact]
    public async Task NginxProxy_EveryVariant_AdmitsFirstAndRefusesAsConfigured()
    {
        var variants = NginxVariant.All(20);
        await using var backend = await UnlimitedBackend.StartAsync();
        await using var nginx = await NginxProxy.StartAsync([.. variants.Select(v => (v, 20))], backend.Port);
        using var client = new HttpClient();

        for (var i = 0; i < variants.Count; i++)
        {
            var variant = variants[i];
            var responses = await Task.WhenAll(Enumerable.Range(0, variant.Burst + 8).Select(n => client.GetAsync(new Uri(nginx.BaseAddressOf(i), $"items/{n}"))));
            try
            {
                var admitted = responses.Where(r => r.IsSuccessStatusCode).ToList();
                var refused = responses.Where(r => !r.IsSuccessStatusCode).ToList();

                Assert.NotEmpty(admitted);
                Assert.True(admitted.Count <= variant.Burst + 2, $"{variant.Name}: {admitted.Count} admitted at once");
                Assert.NotEmpty(refused);
                Assert.All(refused, r => Assert.Equal(variant.RefusalStatus, (int)r.StatusCode));
                Assert.All(refused, r => Assert.Equal(
                    variant.RetryAfterSeconds is int seconds ? [seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [],
                    r.Headers.TryGetValues("Retry-After", out var values) ? values : []));
                Assert.True(int.TryParse(await admitted[0].Content.ReadAsStringAsync(), out _), "an admitted request did not reach the backend, which echoes its number");
            }
            finally
            {
                Array.ForEach(responses, r => r.Dispose());
            }
        }
    }

    [Fact]
    public void Configuration_BurstAndRetryAfter_WrittenAsNginxDirectives()
    {
        var config = NginxProxy.Configuration([(NginxVariant.All(20)[1], 20), (NginxVariant.All(20)[3], 20)], "/tmp/x", 8080, 9090);

        Assert.Contains("limit_req_zone $binary_remote_addr zone=l0:1m rate=20r/s;", config, StringComparison.Ordinal);
        Assert.Contains("limit_req zone=l0 burst=10 nodelay;", config, StringComparison.Ordinal);
        Assert.Contains("limit_req zone=l1;", config, StringComparison.Ordinal);
        Assert.Contains("error_page 429 = @refused1;", config, StringComparison.Ordinal);
        Assert.Contains("add_header Retry-After 1 always;", config, StringComparison.Ordinal);
        Assert.DoesNotContain("@refused0", config, StringComparison.Ordinal);
        Assert.Contains("pid /tmp/x/nginx.pid;", config, StringComparison.Ordinal);
    }
}
